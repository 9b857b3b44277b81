package io.advlab.security;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * JobRunr's dashboard is a web server of its own, outside Spring Security: it shows every job's
 * arguments and lets a visitor delete or requeue shards. It is served only behind HTTP basic
 * credentials (user {@code admin}, the admin token as password, set in {@code application.yml});
 * without an admin token the service refuses to start rather than open it to everyone.
 */
@Component
@ConditionalOnProperty(name = "jobrunr.dashboard.enabled", havingValue = "true")
class JobRunrDashboardGuard {

  JobRunrDashboardGuard(Environment environment) {
    String password = environment.getProperty("jobrunr.dashboard.password", "");
    if (password.isBlank()) {
      throw new IllegalStateException("The JobRunr dashboard (ADVLAB_JOBRUNR_DASHBOARD=true) needs credentials: set"
          + " ADVLAB_ADMIN_TOKEN, whose value becomes the dashboard's password for user 'admin'.");
    }
  }
}
