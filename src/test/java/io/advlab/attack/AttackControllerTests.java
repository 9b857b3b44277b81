package io.advlab.attack;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.advlab.problem.ApiException;
import java.util.function.Function;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The attack endpoint's request handling and problem mapping, with the attack itself mocked. */
@WebMvcTest(AttackController.class)
class AttackControllerTests {

  private static final String PATH = "/api/v1/attacks";
  private static final String PROBLEM = "application/problem+json";

  @Autowired
  MockMvc mvc;
  @MockitoBean
  AttackService service;
  @MockitoBean
  AttackCatalogue catalogue;
  @MockitoBean
  AttackTargets targets;

  /** The model lookup hands the (mocked) service a target; what it holds does not matter here. */
  @org.junit.jupiter.api.BeforeEach
  void anyModel() {
    when(targets.with(any(), any())).thenAnswer(call -> call.<Function<AttackTarget, Object>>getArgument(1).apply(null));
  }

  @Test
  void unknownMethodIsA400NamingTheMethod() throws Exception {
    when(service.attack(any(), any(), eq("blur"), any(), any(), any(), any()))
        .thenThrow(ApiException.invalidField("method", "Unknown attack method 'blur': expected one of pgd."));
    mvc.perform(post(PATH).contentType(MediaType.APPLICATION_JSON)
            .content("{\"url\": \"https://example.org/x.png\", \"method\": \"blur\"}"))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(PROBLEM))
        .andExpect(jsonPath("$.field").value("method"))
        .andExpect(jsonPath("$.type").value("https://advlab.io/problems/invalid-request"))
        .andExpect(jsonPath("$.detail").value("Unknown attack method 'blur': expected one of pgd."));
  }

  @Test
  void jsonParamsThatAreNotAnObjectAreA400NamingParams() throws Exception {
    mvc.perform(post(PATH).contentType(MediaType.APPLICATION_JSON)
            .content("{\"url\": \"https://example.org/x.png\", \"method\": \"pgd\", \"params\": \"eps=0.1\"}"))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(PROBLEM))
        .andExpect(jsonPath("$.field").value("params"))
        .andExpect(jsonPath("$.detail").value("'params' must be a JSON object."));
    verifyNoInteractions(service);
  }

  @Test
  void multipartParamsThatAreNotAnObjectAreA400NamingParams() throws Exception {
    mvc.perform(multipart(PATH).param("url", "https://example.org/x.png").param("method", "fgsm")
            .param("params", "eps=0.3"))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(PROBLEM))
        .andExpect(jsonPath("$.field").value("params"))
        .andExpect(jsonPath("$.detail").value("'params' must be a JSON object, e.g. {\"eps\": 0.1}."));
    verifyNoInteractions(service);
  }

  @Test
  void missingBodyIsA400ThatLeaksNoJavaSignature() throws Exception {
    mvc.perform(post(PATH).contentType(MediaType.APPLICATION_JSON))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(PROBLEM))
        .andExpect(jsonPath("$.detail").value(Matchers.allOf(
            Matchers.not(Matchers.containsString("io.advlab")),
            Matchers.not(Matchers.containsString("AttackRequest")),
            Matchers.not(Matchers.containsString("(")))))
        .andExpect(jsonPath("$.detail").value("The request body is missing: send a JSON object."));
    verifyNoInteractions(service);
  }
}
