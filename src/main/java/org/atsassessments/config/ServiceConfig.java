package org.atsassessments.config;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;

/**
 * The service settings: {@code conf/config.json} (or the file named by {@code ATS_CONFIG}), each key
 * overridable by the environment variable {@code ATS_<KEY>}. An override keeps the type of the default. Read
 * and checked once, at start-up: a key the defaults do not have, a value of the wrong type or out of range
 * stops the start with a message naming it. Then one typed accessor per key; nothing else reads settings.
 */
public final class ServiceConfig {

  public static final String ENV_PREFIX = "ATS_";
  static final String DEFAULT_FILE = "conf/config.json";

  /** What the node stores its data in. */
  public enum StoreKind { H2, POSTGRES }

  /** How log records are written. */
  public enum LogFormat { TEXT, JSON }

  private final JsonObject values;

  private final String httpHost;
  private final int httpPort;
  private final int httpInstances;
  private final String publicUrl;
  private final Role role;
  private final StoreKind store;
  private final String dataDir;
  private final String pgUrl;
  private final int storePoolSize;
  private final int repositoryCacheSize;
  private final String htpasswd;
  private final String accounts;
  private final long authCacheTtlMs;
  private final int authCacheMaxEntries;
  private final long configReloadMs;
  private final boolean cluster;
  private final String clusterConfig;
  private final String clusterHost;
  private final int clusterPort;
  private final List<String> clusterMembers;
  private final String clusterName;
  private final int clusterBusPort;
  private final String clusterTlsKeystore;
  private final String clusterTlsPassword;
  private final Level logLevel;
  private final LogFormat logFormat;
  private final int metricsPort;
  private final String metricsHost;
  private final boolean demo;
  private final int graphqlMaxDepth;
  private final int graphqlMaxComplexity;
  private final int graphqlMaxAliases;
  private final int graphqlMaxQueryChars;
  private final boolean graphqlIntrospection;
  private final int graphqlDocumentCacheSize;
  private final boolean graphqlCompiledQueries;
  private final boolean graphiql;
  private final List<String> graphqlWsAllowedOrigins;
  private final int graphqlWsMaxSubscriptions;
  private final int graphqlWsMaxPendingEvents;
  private final int graphqlWsFlushMs;
  private final List<String> corsAllowedOrigins;
  private final int bridgeTcpPort;
  private final String bridgeTcpHost;
  private final String bridgeTcpTlsKeystore;
  private final String bridgeTcpTlsPassword;
  private final long requestTimeoutMs;
  private final int bodyLimitBytes;
  private final int maxRequestLineBytes;
  private final int maxHeaderBytes;
  private final int httpIdleTimeoutSeconds;
  private final int jsonMaxDepth;
  private final int rateLimitPerMinute;
  private final int loginSlowdownAfter;
  private final int loginLockoutAfter;
  private final int loginLockoutSeconds;
  private final int trustedProxyHops;
  private final int eventRetentionDays;
  private final long eventRetentionSweepMs;
  private final int eventRetentionBatch;
  private final boolean webhookAllowPrivateTargets;
  private final long webhookTimeoutMs;
  private final List<Duration> webhookRetrySchedule;
  private final int webhookConcurrencyPerEndpoint;
  private final long webhookPollMs;
  private final long webhookLeaseMs;
  private final Duration webhookDisableAfter;
  private final Duration webhookSecretOverlap;

  private ServiceConfig(JsonObject values) {
    this.values = values;
    Reader read = new Reader(values);
    httpHost = read.text("http_host", false);
    httpPort = read.port("http_port");
    httpInstances = read.count("http_instances");
    publicUrl = read.text("public_url", false).replaceAll("/+$", "");
    role = read.parsed("role", Role::parse);
    store = read.choice("store", StoreKind.class);
    dataDir = read.text("data_dir", false);
    pgUrl = read.text("pg_url", true);
    storePoolSize = read.atLeast("store_pool_size", 1);
    repositoryCacheSize = read.count("repository_cache_size");
    htpasswd = read.text("htpasswd", false);
    accounts = read.text("accounts", false);
    authCacheTtlMs = read.count("auth_cache_ttl_ms");
    authCacheMaxEntries = read.atLeast("auth_cache_max_entries", 1);
    configReloadMs = read.count("config_reload_ms");
    cluster = read.flag("cluster");
    clusterConfig = read.text("cluster_config", true);
    clusterHost = read.text("cluster_host", false);
    clusterPort = read.port("cluster_port");
    clusterMembers = read.list("cluster_members");
    clusterName = read.text("cluster_name", false);
    clusterBusPort = read.port("cluster_bus_port");
    clusterTlsKeystore = read.text("cluster_tls_keystore", true);
    clusterTlsPassword = read.text("cluster_tls_password", true);
    logLevel = read.parsed("log_level", value -> Level.parse(value.trim().toUpperCase(Locale.ROOT)));
    logFormat = read.choice("log_format", LogFormat.class);
    metricsPort = read.port("metrics_port");
    metricsHost = read.text("metrics_host", false);
    demo = read.flag("demo");
    graphqlMaxDepth = read.atLeast("graphql_max_depth", 1);
    graphqlMaxComplexity = read.atLeast("graphql_max_complexity", 1);
    graphqlMaxAliases = read.count("graphql_max_aliases");
    graphqlMaxQueryChars = read.atLeast("graphql_max_query_chars", 1);
    graphqlIntrospection = read.flag("graphql_introspection");
    graphqlDocumentCacheSize = read.atLeast("graphql_document_cache_size", 1);
    graphqlCompiledQueries = read.flag("graphql_compiled_queries");
    graphiql = read.flag("graphiql");
    graphqlWsAllowedOrigins = read.origins("graphql_ws_allowed_origins");
    graphqlWsMaxSubscriptions = read.atLeast("graphql_ws_max_subscriptions", 1);
    graphqlWsMaxPendingEvents = read.atLeast("graphql_ws_max_pending_events", 1);
    graphqlWsFlushMs = read.count("graphql_ws_flush_ms");
    if (graphqlWsFlushMs > 1000) throw Reader.refused("graphql_ws_flush_ms", "must be at most 1000 (milliseconds), not " + graphqlWsFlushMs);
    corsAllowedOrigins = read.origins("cors_allowed_origins");
    bridgeTcpPort = read.port("bridge_tcp_port");
    bridgeTcpHost = read.text("bridge_tcp_host", false);
    bridgeTcpTlsKeystore = read.text("bridge_tcp_tls_keystore", true);
    bridgeTcpTlsPassword = read.text("bridge_tcp_tls_password", true);
    requestTimeoutMs = read.count("request_timeout_ms");
    bodyLimitBytes = read.atLeast("body_limit_bytes", 1);
    maxRequestLineBytes = read.atLeast("max_request_line_bytes", 1);
    maxHeaderBytes = read.atLeast("max_header_bytes", 1);
    httpIdleTimeoutSeconds = read.count("http_idle_timeout_seconds");
    jsonMaxDepth = read.atLeast("json_max_depth", 1);
    rateLimitPerMinute = read.count("rate_limit_per_minute");
    loginSlowdownAfter = read.count("login_slowdown_after");
    loginLockoutAfter = read.count("login_lockout_after");
    loginLockoutSeconds = read.count("login_lockout_seconds");
    trustedProxyHops = read.count("trusted_proxy_hops");
    eventRetentionDays = read.atLeast("event_retention_days", 1);
    eventRetentionSweepMs = read.atLeast("event_retention_sweep_ms", 1);
    eventRetentionBatch = read.atLeast("event_retention_batch", 1);
    webhookAllowPrivateTargets = read.flag("webhook_allow_private_targets");
    webhookTimeoutMs = read.atLeast("webhook_timeout_ms", 1);
    webhookRetrySchedule = read.durations("webhook_retry_schedule");
    webhookConcurrencyPerEndpoint = read.atLeast("webhook_concurrency_per_endpoint", 1);
    webhookPollMs = read.atLeast("webhook_poll_ms", 1);
    webhookLeaseMs = read.atLeast("webhook_lease_ms", 1);
    if (webhookLeaseMs <= webhookTimeoutMs) {
      throw Reader.refused("webhook_lease_ms", "must be more than webhook_timeout_ms (" + webhookTimeoutMs + ")");
    }
    webhookDisableAfter = read.duration("webhook_disable_after");
    webhookSecretOverlap = read.duration("webhook_secret_overlap");
    read.noOtherKeys();
  }

  /** Reads the config file, then applies the environment. Start-up only: it reads files. */
  public static ServiceConfig load(Map<String, String> env) {
    String file = env.getOrDefault(ENV_PREFIX + "CONFIG", DEFAULT_FILE);
    JsonObject fromFile = readFile(Path.of(file), !env.containsKey(ENV_PREFIX + "CONFIG"));
    JsonObject defaults = readDefaults();
    for (String key : fromFile.fieldNames()) {
      if (!defaults.containsKey(key)) throw new IllegalArgumentException(file + ": unknown setting '" + key + "'");
    }
    return new ServiceConfig(defaults.mergeIn(fromFile)).withEnvironment(env);
  }

  /** The defaults shipped inside the jar (a copy of conf/config.json). */
  public static ServiceConfig defaults() {
    return new ServiceConfig(readDefaults());
  }

  /** A copy with one key replaced; the value must have the type of the default, and is checked like any other. */
  public ServiceConfig with(String key, Object value) {
    if (!values.containsKey(key)) throw new IllegalArgumentException("unknown setting '" + key + "'");
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

  /** Reads each key once, with the key (and its variable) named in every refusal. */
  private static final class Reader {
    private final JsonObject values;
    private final List<String> read = new ArrayList<>();

    Reader(JsonObject values) {
      this.values = values;
    }

    private Object value(String key) {
      read.add(key);
      if (!values.containsKey(key)) throw refused(key, "is missing");
      return values.getValue(key);
    }

    String text(String key, boolean mayBeEmpty) {
      if (!(value(key) instanceof String text)) throw refused(key, "must be a string");
      if (!mayBeEmpty && text.isBlank()) throw refused(key, "must not be empty");
      return text;
    }

    boolean flag(String key) {
      if (!(value(key) instanceof Boolean flag)) throw refused(key, "must be true or false");
      return flag;
    }

    int atLeast(String key, int minimum) {
      if (!(value(key) instanceof Number number) || number.doubleValue() != number.intValue()) {
        throw refused(key, "must be a whole number");
      }
      if (number.intValue() < minimum) throw refused(key, "must be at least " + minimum + ", not " + number);
      return number.intValue();
    }

    int count(String key) {
      return atLeast(key, 0);
    }

    int port(String key) {
      int port = count(key);
      if (port > 65_535) throw refused(key, "must be a port number (0 to 65535), not " + port);
      return port;
    }

    /**
     * A comma list of web origins ({@code https://dash.example.com}, {@code http://127.0.0.1:5173}): scheme and
     * host (and port), nothing else; {@code *} is refused (never a wildcard together with credentials).
     */
    List<String> origins(String key) {
      List<String> origins = list(key);
      for (String origin : origins) {
        if (!origin.matches("(?i)https?://[a-z0-9.\\[\\]:-]+(:[0-9]{1,5})?")) {
          throw refused(key, "'" + origin + "' is not an origin (scheme://host[:port], no path; '*' is not allowed)");
        }
      }
      return origins;
    }

    List<String> list(String key) {
      List<String> items = new ArrayList<>();
      for (String item : text(key, true).split(",")) {
        if (!item.isBlank()) items.add(item.trim());
      }
      return List.copyOf(items);
    }

    /** A comma list of durations ({@code 250ms}, {@code 5s}, {@code 5m}, {@code 2h}, {@code 5d}); may be empty. */
    List<Duration> durations(String key) {
      List<Duration> parsed = new ArrayList<>();
      for (String item : list(key)) parsed.add(duration(key, item));
      return List.copyOf(parsed);
    }

    Duration duration(String key) {
      return duration(key, text(key, false).trim());
    }

    private static Duration duration(String key, String text) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h|d)").matcher(text);
      if (!m.matches()) throw refused(key, "is not a duration like 250ms, 5s, 5m, 2h or 5d: '" + text + "'");
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }

    <E extends Enum<E>> E choice(String key, Class<E> type) {
      String text = text(key, false);
      try {
        return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) names.add(constant.name().toLowerCase(Locale.ROOT));
        throw refused(key, "must be " + String.join(" or ", names) + ", not '" + text + "'");
      }
    }

    <T> T parsed(String key, java.util.function.Function<String, T> parser) {
      String text = text(key, false);
      try {
        return parser.apply(text);
      } catch (IllegalArgumentException e) {
        throw refused(key, e.getMessage() != null && e.getMessage().contains(text) ? "is not valid: " + e.getMessage()
          : "is not valid: '" + text + "'");
      }
    }

    void noOtherKeys() {
      for (String key : values.fieldNames()) {
        if (!read.contains(key)) throw new IllegalArgumentException("unknown setting '" + key + "'");
      }
    }

    static IllegalArgumentException refused(String key, String problem) {
      return new IllegalArgumentException(key + " (" + ENV_PREFIX + key.toUpperCase(Locale.ROOT) + ") " + problem);
    }
  }

  public String httpHost() { return httpHost; }
  public int httpPort() { return httpPort; }
  /** HTTP verticles; 0 = one per event loop. */
  public int httpInstances() { return httpInstances; }
  /** Base URL as clients see it, without a trailing slash. */
  public String publicUrl() { return publicUrl; }
  public Role role() { return role; }
  public StoreKind store() { return store; }
  public String dataDir() { return dataDir; }
  public String pgUrl() { return pgUrl; }
  public int storePoolSize() { return storePoolSize; }
  public int repositoryCacheSize() { return repositoryCacheSize; }
  public String htpasswd() { return htpasswd; }
  public String accounts() { return accounts; }
  public long authCacheTtlMs() { return authCacheTtlMs; }
  public int authCacheMaxEntries() { return authCacheMaxEntries; }
  public long configReloadMs() { return configReloadMs; }
  public boolean cluster() { return cluster; }
  public String clusterConfig() { return clusterConfig; }
  public String clusterHost() { return clusterHost; }
  public int clusterPort() { return clusterPort; }
  public List<String> clusterMembers() { return clusterMembers; }
  public List<String> graphqlWsAllowedOrigins() { return graphqlWsAllowedOrigins; }
  public int graphqlWsMaxSubscriptions() { return graphqlWsMaxSubscriptions; }
  public int graphqlWsMaxPendingEvents() { return graphqlWsMaxPendingEvents; }
  public int graphqlWsFlushMs() { return graphqlWsFlushMs; }
  public List<String> corsAllowedOrigins() { return corsAllowedOrigins; }
  public int bridgeTcpPort() { return bridgeTcpPort; }
  public String bridgeTcpHost() { return bridgeTcpHost; }
  public String bridgeTcpTlsKeystore() { return bridgeTcpTlsKeystore; }
  public String bridgeTcpTlsPassword() { return bridgeTcpTlsPassword; }
  public String clusterName() { return clusterName; }
  public int clusterBusPort() { return clusterBusPort; }
  public String clusterTlsKeystore() { return clusterTlsKeystore; }
  public String clusterTlsPassword() { return clusterTlsPassword; }
  public Level logLevel() { return logLevel; }
  public LogFormat logFormat() { return logFormat; }
  /** 0 = no metrics listener. */
  public int metricsPort() { return metricsPort; }
  public String metricsHost() { return metricsHost; }
  public boolean demo() { return demo; }
  public int graphqlMaxDepth() { return graphqlMaxDepth; }
  public int graphqlMaxComplexity() { return graphqlMaxComplexity; }
  public int graphqlMaxAliases() { return graphqlMaxAliases; }
  public int graphqlMaxQueryChars() { return graphqlMaxQueryChars; }
  public boolean graphqlIntrospection() { return graphqlIntrospection; }
  public int graphqlDocumentCacheSize() { return graphqlDocumentCacheSize; }
  public boolean graphqlCompiledQueries() { return graphqlCompiledQueries; }
  public boolean graphiql() { return graphiql; }
  /** A request's whole lifetime; 0 = none. */
  public long requestTimeoutMs() { return requestTimeoutMs; }
  public int bodyLimitBytes() { return bodyLimitBytes; }
  public int maxRequestLineBytes() { return maxRequestLineBytes; }
  public int maxHeaderBytes() { return maxHeaderBytes; }
  public int httpIdleTimeoutSeconds() { return httpIdleTimeoutSeconds; }
  public int jsonMaxDepth() { return jsonMaxDepth; }
  /** 0 = no limit. */
  public int rateLimitPerMinute() { return rateLimitPerMinute; }
  public int loginSlowdownAfter() { return loginSlowdownAfter; }
  public int loginLockoutAfter() { return loginLockoutAfter; }
  public int loginLockoutSeconds() { return loginLockoutSeconds; }
  public int trustedProxyHops() { return trustedProxyHops; }
  public int eventRetentionDays() { return eventRetentionDays; }
  public long eventRetentionSweepMs() { return eventRetentionSweepMs; }
  public int eventRetentionBatch() { return eventRetentionBatch; }
  public boolean webhookAllowPrivateTargets() { return webhookAllowPrivateTargets; }
  public long webhookTimeoutMs() { return webhookTimeoutMs; }
  /** The delays between a delivery's attempts after the first (which is immediate). */
  public List<Duration> webhookRetrySchedule() { return webhookRetrySchedule; }
  public int webhookConcurrencyPerEndpoint() { return webhookConcurrencyPerEndpoint; }
  public long webhookPollMs() { return webhookPollMs; }
  public long webhookLeaseMs() { return webhookLeaseMs; }
  public Duration webhookDisableAfter() { return webhookDisableAfter; }
  public Duration webhookSecretOverlap() { return webhookSecretOverlap; }
}
