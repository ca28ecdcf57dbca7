package org.atsassessments.events;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.netty.util.NetUtil;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;

/**
 * Where a webhook may go (server-side request forgery): {@code http} or {@code https} URLs only, and, unless
 * private targets are allowed, never a host that resolves to a loopback, private, link-local, unique-local,
 * carrier-grade NAT, multicast or unspecified address. The check runs when a subscription is written and again
 * for every attempt, against the address the attempt then connects to (the caller gets that address, so a name
 * that resolves elsewhere later, DNS rebinding, is checked on what is actually used). Names are resolved on a
 * worker thread (the JDK resolver blocks) and kept for 30 seconds.
 */
public final class Targets {

  /** A parsed target: how to connect and what to ask for. */
  public record Target(String url, boolean ssl, String host, int port, String requestUri) {
  }

  /** A target that may not be used, with the reason as the caller is told. */
  public static final class Refused extends Exception {
    public Refused(String reason) {
      super(reason, null, false, false);
    }
  }

  private final Vertx vertx;
  private final boolean allowPrivate;
  private final Cache<String, InetAddress[]> resolved = Caffeine.newBuilder().maximumSize(10_000)
    .expireAfterWrite(Duration.ofSeconds(30)).build();

  public Targets(Vertx vertx, boolean allowPrivate) {
    this.vertx = vertx;
    this.allowPrivate = allowPrivate;
  }

  /** The URL as a target, or why it cannot be one. */
  public static Target parse(String url) throws Refused {
    if (url == null || url.isBlank()) throw new Refused("url is required");
    if (url.length() > 2048) throw new Refused("url: at most 2048 characters");
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new Refused("url: not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) throw new Refused("url: only http and https URLs are accepted");
    if (uri.getRawUserInfo() != null) throw new Refused("url: credentials in the URL are not accepted");
    String host = uri.getHost();
    if (host == null || host.isBlank()) throw new Refused("url: has no host");
    if (uri.getRawFragment() != null) throw new Refused("url: must not have a fragment");
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    boolean ssl = scheme.equals("https");
    int port = uri.getPort() == -1 ? (ssl ? 443 : 80) : uri.getPort();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String requestUri = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    return new Target(url, ssl, host.toLowerCase(Locale.ROOT), port, requestUri);
  }

  /**
   * The address to connect to for this target: its first address when none of its addresses is forbidden (a
   * name with one forbidden address is refused whole), else a failed future with {@link Refused}.
   */
  public Future<InetAddress> address(Target target) {
    byte[] literal = NetUtil.createByteArrayFromIpAddressString(target.host());
    if (literal != null) {
      try {
        return checked(target.host(), new InetAddress[] {InetAddress.getByAddress(literal)});
      } catch (UnknownHostException e) {
        return Future.failedFuture(new Refused("url: host " + target.host() + " is not an address"));
      }
    }
    InetAddress[] known = resolved.getIfPresent(target.host());
    if (known != null) return checked(target.host(), known);
    return vertx.executeBlocking(() -> InetAddress.getAllByName(target.host()), false)
      .recover(e -> Future.failedFuture(new Refused("url: host " + target.host() + " does not resolve")))
      .compose(addresses -> {
        resolved.put(target.host(), addresses);
        return checked(target.host(), addresses);
      });
  }

  private Future<InetAddress> checked(String host, InetAddress[] addresses) {
    if (addresses.length == 0) return Future.failedFuture(new Refused("url: host " + host + " does not resolve"));
    if (!allowPrivate) {
      for (InetAddress address : addresses) {
        if (forbidden(address)) {
          return Future.failedFuture(new Refused("url: host " + host + " resolves to a loopback, private or link-local"
            + " address (" + address.getHostAddress() + "); such targets are refused"));
        }
      }
    }
    return Future.succeededFuture(addresses[0]);
  }

  /** Loopback, private (RFC 1918), link-local, unique-local (fc00::/7), CGNAT (100.64/10), multicast, unspecified. */
  public static boolean forbidden(InetAddress address) {
    if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
      || address.isSiteLocalAddress() || address.isMulticastAddress()) {
      return true;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first == 0 || first == 127 || (first == 100 && second >= 64 && second < 128) || first >= 240
        || (first == 192 && second == 0 && (b[2] & 0xff) == 0);
    }
    if (address instanceof Inet6Address) {
      if ((b[0] & 0xfe) == 0xfc) return true;  // unique local fc00::/7
      boolean mapped = true;  // ::ffff:a.b.c.d, an IPv4 address in IPv6 clothes
      for (int i = 0; i < 10; i++) mapped &= b[i] == 0;
      if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
        try {
          return forbidden(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (UnknownHostException e) {
          return true;
        }
      }
    }
    return false;
  }
}
