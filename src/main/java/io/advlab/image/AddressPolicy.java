package io.advlab.image;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides which hosts advlab may fetch from (the SSRF guard). A host is fetched when it is on the
 * allow-list, or when every address it resolves to is a public unicast address: not loopback,
 * unspecified, private (RFC 1918), shared (CGNAT), link-local (including the cloud metadata
 * address 169.254.169.254), unique-local, multicast, broadcast, documentation, benchmarking or
 * reserved. IPv6 forms that embed an IPv4 address (IPv4-mapped, NAT64, 6to4, Teredo) are judged
 * by the embedded address.
 */
final class AddressPolicy {

  private final Set<String> allowedHosts;

  AddressPolicy(Collection<String> allowedHosts) {
    this.allowedHosts = allowedHosts.stream().map(AddressPolicy::normalize).filter(h -> !h.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * Whether the URL host, as written, is allow-listed. Matching is textual (case and a trailing
   * dot ignored, IPv6 brackets stripped): {@code 127.0.0.1} on the list does not admit
   * {@code [::ffff:127.0.0.1]}.
   */
  boolean isAllowListed(String host) {
    return host != null && allowedHosts.contains(normalize(host));
  }

  /** Whether {@code address} is a public unicast address that may be fetched from. */
  static boolean isPublic(InetAddress address) {
    byte[] b = address.getAddress();
    return address instanceof Inet4Address ? isPublicV4(b, 0) : isPublicV6(b);
  }

  private static boolean isPublicV4(byte[] b, int at) {
    int a0 = b[at] & 0xff;
    int a1 = b[at + 1] & 0xff;
    int a2 = b[at + 2] & 0xff;
    boolean blocked = a0 == 0 // "this network", 0.0.0.0
        || a0 == 10 // private
        || a0 == 127 // loopback
        || (a0 == 100 && (a1 & 0xc0) == 64) // shared address space (CGNAT) 100.64/10
        || (a0 == 169 && a1 == 254) // link-local, cloud metadata
        || (a0 == 172 && (a1 & 0xf0) == 16) // private 172.16/12
        || (a0 == 192 && a1 == 168) // private
        || (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) // IETF protocol assignments, TEST-NET-1
        || (a0 == 192 && a1 == 88 && a2 == 99) // 6to4 relay anycast
        || (a0 == 198 && (a1 & 0xfe) == 18) // benchmarking 198.18/15
        || (a0 == 198 && a1 == 51 && a2 == 100) // TEST-NET-2
        || (a0 == 203 && a1 == 0 && a2 == 113) // TEST-NET-3
        || a0 >= 224; // multicast, reserved, broadcast
    return !blocked;
  }

  private static boolean isPublicV6(byte[] b) {
    if (allZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      return isPublicV4(b, 12); // IPv4-mapped ::ffff:a.b.c.d
    }
    if (allZero(b, 0, 12)) {
      return false; // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d
    }
    int w0 = u16(b, 0);
    int w1 = u16(b, 2);
    if (w0 == 0x0064 && w1 == 0xff9b) {
      return allZero(b, 4, 8) && isPublicV4(b, 12); // NAT64 64:ff9b::/96; 64:ff9b:1::/48 is local
    }
    if ((w0 & 0xe000) != 0x2000) {
      return false; // outside global unicast 2000::/3: ULA fc00::/7, link-local, multicast, 100::/64...
    }
    if (w0 == 0x2002) {
      return isPublicV4(b, 2); // 6to4
    }
    if (w0 == 0x2001 && w1 == 0) {
      byte[] client = new byte[4];
      for (int i = 0; i < 4; i++) {
        client[i] = (byte) ~b[12 + i];
      }
      return isPublicV4(b, 4) && isPublicV4(client, 0); // Teredo: server, obfuscated client
    }
    boolean blocked = (w0 == 0x2001 && w1 == 0x0db8) // documentation
        || (w0 == 0x3fff && (w1 & 0xf000) == 0) // documentation 3fff::/20
        || (w0 == 0x2001 && (w1 & 0xfff0) == 0x0010) // ORCHID
        || (w0 == 0x2001 && (w1 & 0xfff0) == 0x0020) // ORCHIDv2
        || (w0 == 0x2001 && w1 == 0x0002 && u16(b, 4) == 0); // benchmarking 2001:2::/48
    return !blocked;
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static int u16(byte[] b, int at) {
    return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
  }

  private static String normalize(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }
}
