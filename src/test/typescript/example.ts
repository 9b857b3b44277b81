// README's TypeScript example (section SDKs), type-checked with tsc --strict against the client the
// build generates into target/typescript-sdk/advlab-ts (TypeScriptClientTests).
import { AttackMethod, AttacksApi, ClassificationApi, Configuration, ProblemFromJSON, ResponseError } from './advlab-ts';

const config = new Configuration({ basePath: 'http://localhost:8080' });

export async function classifyAndAttack(png: Blob, pngBase64: string): Promise<string | undefined> {
  const seven = await new ClassificationApi(config).classifyUpload({ image: png, model: 'digits', topK: 3 });
  console.log(seven.predictions[0].label, seven.predictions[0].probability);
  try {
    const pgd = await new AttacksApi(config).attackImage({ attackRequest: {
      imageBase64: pngBase64, method: AttackMethod.Pgd, params: { eps: 0.1, steps: 20 }, model: 'digits' } });
    console.log(pgd.success, pgd.adversarial.predictions[0].label, pgd.perturbation.linf);
    return pgd.adversarialImage; // PNG, base64
  } catch (e) {
    if (!(e instanceof ResponseError)) throw e;
    const problem = ProblemFromJSON(await e.response.json());
    console.log(e.response.status, problem.field, problem.detail, e.response.headers.get('Retry-After'));
    return undefined;
  }
}
