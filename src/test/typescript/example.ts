// README's TypeScript example, type-checked against the client generated in the build
// (TypeScriptClientTests): a classification by upload, a PGD attack by base64, and a problem read
// from an error. The client comes from `npx @openapitools/openapi-generator-cli generate -g typescript-fetch`.
import {
  AttackMethod,
  AttacksApi,
  ClassificationApi,
  Configuration,
  type Problem,
  ProblemFromJSON,
  ResponseError,
} from './advlab-sdk';

const config = new Configuration({ basePath: 'http://localhost:8080' });

export async function classifyAndAttack(png: Blob, pngBase64: string): Promise<void> {
  const classified = await new ClassificationApi(config).classifyUpload({ image: png, model: 'digits', topK: 3 });
  console.log(classified.predictions[0].label, classified.predictions[0].probability);
  try {
    const attack = await new AttacksApi(config).attackImage({
      attackRequest: { imageBase64: pngBase64, method: AttackMethod.Pgd, params: { eps: 0.1, steps: 20 }, model: 'digits' },
    });
    console.log(attack.success, attack.adversarial.predictions[0].label, attack.perturbation.linf);
    const adversarialPng: string = attack.adversarialImage; // base64 PNG
    console.log(adversarialPng.length);
  } catch (e) {
    if (e instanceof ResponseError) {
      const problem: Problem = ProblemFromJSON(await e.response.json());
      console.log(e.response.status, problem.field, problem.detail, e.response.headers.get('Retry-After'));
    } else {
      throw e;
    }
  }
}
