package org.atsassessments.config;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The service settings: {@code conf/config.json} (or the file named by {@code ATS_CONFIG}), each key
 * overridable by the environment variable {@code ATS_<KEY>}. An override keeps the type of the default.
 */
public final class ServiceConfig {

  public static final String ENV_PREFIX = "ATS_";
  static final String DEFAULT_FILE = "conf/config.json";

  private final JsonObject values;

  private ServiceConfig(JsonObject values) {
    this.values = values;
  }

  /** Reads the config file, then applies the environment. Start-up only: it reads files. */
  public static ServiceConfig load(Map<String, String> env) {
    String file = env.getOrDefault(ENV_PREFIX + "CONFIG", DEFAULT_FILE);
    JsonObject values = readDefaults().mergeIn(readFile(Path.of(file), !env.containsKey(ENV_PREFIX + "CONFIG")));
    return new ServiceConfig(values).withEnvironment(env);
  }

  /** The defaults shipped inside the jar (a copy of conf/config.json). */
  public static ServiceConfig defaults() {
    return new ServiceConfig(readDefaults());
  }

  public static ServiceConfig fromJson(JsonObject json) {
    return new ServiceConfig(json.copy());
  }

  /** A copy with one key replaced; the value must have the type of the default. */
  public ServiceConfig with(String key, Object value) {
    JsonObject copy = values.copy();
    copy.put(key, value);
    return new ServiceConfig(copy);
  }

  ServiceConfig withEnvironment(Map<String, String> env) {
    JsonObject copy = values.copy();
    for (String key : values.fieldNames()) {
      String raw = env.get(ENV_PREFIX + key.toUpperCase(Locale.ROOT));
      if (raw != null) {
        copy.put(key, coerce(key, raw, values.getValue(key)));
      }
    }
    return new ServiceConfig(copy);
  }

  private static Object coerce(String key, String raw, Object example) {
    String name = ENV_PREFIX + key.toUpperCase(Locale.ROOT);
    if (example instanceof Boolean) {
      if (raw.equalsIgnoreCase("true") || raw.equals("1")) return true;
      if (raw.equalsIgnoreCase("false") || raw.equals("0")) return false;
      throw new IllegalArgumentException(name + " must be true or false, not '" + raw + "'");
    }
    if (example instanceof Number) {
      try {
        return Integer.parseInt(raw.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " must be a whole number, not '" + raw + "'");
      }
    }
    return raw;
  }

  private static JsonObject readDefaults() {
    try (InputStream in = ServiceConfig.class.getResourceAsStream("/" + DEFAULT_FILE)) {
      if (in == null) throw new IllegalStateException(DEFAULT_FILE + " is missing from the classpath");
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonObject readFile(Path file, boolean optional) {
    if (!Files.exists(file)) {
      if (optional) return new JsonObject();
      throw new IllegalArgumentException("config file " + file + " does not exist");
    }
    try {
      return new JsonObject(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read config file " + file, e);
    }
  }

  public JsonObject json() {
    return values.copy();
  }

  public String string(String key) {
    return values.getString(key);
  }

  public int integer(String key) {
    return values.getInteger(key);
  }

  public boolean flag(String key) {
    return values.getBoolean(key);
  }

  public String httpHost() { return string("http_host"); }
  public int httpPort() { return integer("http_port"); }
  public String publicUrl() { return string("public_url").replaceAll("/+$", ""); }
  public Role role() { return Role.parse(string("role")); }
  public boolean demo() { return flag("demo"); }
  public boolean cluster() { return flag("cluster"); }
  public int requestTimeoutMs() { return integer("request_timeout_ms"); }
}
