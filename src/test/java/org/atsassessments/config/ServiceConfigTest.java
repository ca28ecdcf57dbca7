package org.atsassessments.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceConfigTest {

  @Test
  void theDefaultsAreThoseOfTheOperationalContract() {
    ServiceConfig config = ServiceConfig.defaults();

    assertEquals(8080, config.httpPort());
    assertEquals("0.0.0.0", config.httpHost());
    assertEquals("./data", config.dataDir());
    assertEquals("h2", config.store().name().toLowerCase());
    assertEquals("conf/htpasswd", config.htpasswd());
    assertEquals("conf/accounts.json", config.accounts());
    assertEquals(Role.ALL, config.role());
    assertFalse(config.cluster());
    assertFalse(config.demo());
    assertEquals("http://localhost:8080", config.publicUrl());
    assertEquals(60000, config.requestTimeoutMs());
    assertEquals(1048576, config.bodyLimitBytes());
  }

  @Test
  void everyKeyIsOverriddenByItsEnvironmentVariableKeepingItsType() {
    ServiceConfig config = ServiceConfig.defaults().withEnvironment(Map.of(
      "ATS_HTTP_PORT", "9090", "ATS_DEMO", "true", "ATS_PUBLIC_URL", "https://ats.example.com/", "ATS_ROLE", "http",
      "ATS_UNRELATED", "x"));

    assertEquals(9090, config.httpPort());
    assertTrue(config.demo());
    assertEquals("https://ats.example.com", config.publicUrl());
    assertEquals(Role.HTTP, config.role());
  }

  @Test
  void aBadValueIsRefusedWithTheVariableNamed() {
    var e = assertThrows(IllegalArgumentException.class,
      () -> ServiceConfig.defaults().withEnvironment(Map.of("ATS_HTTP_PORT", "eighty")));
    assertTrue(e.getMessage().contains("ATS_HTTP_PORT"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ServiceConfig.defaults().withEnvironment(Map.of("ATS_DEMO", "yes")));
    assertThrows(IllegalArgumentException.class, () -> ServiceConfig.defaults().with("role", "boss").role());
  }

  @Test
  void readsTheFileNamedByAtsConfigThenTheEnvironment(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("custom.json");
    Files.writeString(file, "// comments are fine\n{ \"http_port\": 7070, \"data_dir\": \"/srv/ats\" }");

    ServiceConfig config = ServiceConfig.load(Map.of("ATS_CONFIG", file.toString(), "ATS_DATA_DIR", "/var/ats"));

    assertEquals(7070, config.httpPort());
    assertEquals("/var/ats", config.dataDir());
    assertEquals("h2", config.store().name().toLowerCase(), "keys absent from the file keep their defaults");
  }

  @Test
  void everySettingIsCheckedOnceWhenTheConfigIsBuiltWithTheKeyAndVariableNamed(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("typo.json");
    Files.writeString(file, "{ \"http_prot\": 7070 }");
    var unknown = assertThrows(IllegalArgumentException.class, () -> ServiceConfig.load(Map.of("ATS_CONFIG", file.toString())));
    assertTrue(unknown.getMessage().contains("unknown setting 'http_prot'"), unknown.getMessage());

    var port = assertThrows(IllegalArgumentException.class, () -> ServiceConfig.defaults().with("http_port", 70_000));
    assertEquals("http_port (ATS_HTTP_PORT) must be a port number (0 to 65535), not 70000", port.getMessage());
    var negative = assertThrows(IllegalArgumentException.class,
      () -> ServiceConfig.defaults().withEnvironment(Map.of("ATS_RATE_LIMIT_PER_MINUTE", "-1")));
    assertEquals("rate_limit_per_minute (ATS_RATE_LIMIT_PER_MINUTE) must be at least 0, not -1", negative.getMessage());
    var flush = assertThrows(IllegalArgumentException.class, () -> ServiceConfig.defaults().with("graphql_ws_flush_ms", 5_000));
    assertEquals("graphql_ws_flush_ms (ATS_GRAPHQL_WS_FLUSH_MS) must be at most 1000 (milliseconds), not 5000", flush.getMessage());
    var store = assertThrows(IllegalArgumentException.class, () -> ServiceConfig.defaults().with("store", "mysql"));
    assertEquals("store (ATS_STORE) must be h2 or postgres, not 'mysql'", store.getMessage());
    var type = assertThrows(IllegalArgumentException.class, () -> ServiceConfig.defaults().with("demo", "yes"));
    assertEquals("demo (ATS_DEMO) must be true or false", type.getMessage());
    assertEquals(ServiceConfig.StoreKind.POSTGRES, ServiceConfig.defaults().with("store", "postgres").store());
  }

  @Test
  void aMissingFileNamedByAtsConfigIsAnError(@TempDir Path dir) {
    assertThrows(IllegalArgumentException.class,
      () -> ServiceConfig.load(Map.of("ATS_CONFIG", dir.resolve("nope.json").toString())));
  }
}
