package org.atsassessments.boot;

import org.atsassessments.config.ServiceConfig;
import org.atsassessments.demo.DemoData;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code make run} prints once the node is ready. */
class StartupNoticeTest {

  private static final ServiceConfig DEFAULTS = ServiceConfig.defaults();

  @Test
  void demoNodeTellsWhereEverythingIsAndHowToFetchTheDemoOrder() {
    String text = StartupNotice.text(DEFAULTS.with("demo", true));

    for (String expected : new String[] {"http://localhost:8080/unified/ats/assessments/orders", "http://localhost:8080/docs ",
      "http://localhost:8080/openapi.json", "http://localhost:8080/graphql", "http://localhost:8080/graphiql/",
      "http://localhost:8080/health", "user demo / demo-password", DemoData.curl("http://localhost:8080")}) {
      assertTrue(text.contains(expected), expected + " missing from:\n" + text);
    }
    assertFalse(text.contains("/metrics"), "metrics are listed only when switched on:\n" + text);
  }

  @Test
  void withoutDemoModeNoCredentialsArePrinted() {
    String text = StartupNotice.text(DEFAULTS);

    assertTrue(text.contains("http://localhost:8080/docs"), text);
    assertFalse(text.contains(DemoData.PASSWORD), text);
    assertFalse(text.contains("curl"), text);
  }

  @Test
  void repositoryNodeListsOnlyItsHealthChecks() {
    String text = StartupNotice.text(DEFAULTS.with("role", "repository").with("demo", true).with("http_port", 8081));

    assertTrue(text.contains("http://localhost:8081/health"), text);
    assertFalse(text.contains("/unified") || text.contains("/docs") || text.contains(DemoData.PASSWORD), text);
  }

  @Test
  void metricsAreListedWhenTheConfigurationSwitchesThemOn() {
    assertTrue(StartupNotice.text(DEFAULTS.with("metrics_port", 9464)).contains("http://127.0.0.1:9464/metrics"));
  }

  @Test
  void aSpecificBindAddressIsWhereUsersReachTheNode() {
    assertEquals("http://127.0.0.1:9000", StartupNotice.baseUrl(DEFAULTS.with("http_host", "127.0.0.1").with("http_port", 9000)));
    assertEquals("http://localhost:8080", StartupNotice.baseUrl(DEFAULTS));
    assertEquals("http://[::1]:8080", StartupNotice.baseUrl(DEFAULTS.with("http_host", "::1")));
  }
}
