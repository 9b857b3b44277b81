package io.advlab.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressPolicyTests {

  @ParameterizedTest(name = "{0} public={1}")
  @CsvSource({
      // IPv4 public
      "8.8.8.8, true", "1.1.1.1, true", "93.184.216.34, true", "100.63.255.255, true", "100.128.0.0, true",
      "172.15.255.255, true", "172.32.0.0, true", "169.253.1.1, true", "192.0.1.1, true", "198.17.255.255, true",
      "198.20.0.0, true", "223.255.255.255, true", "11.0.0.1, true",
      // IPv4 blocked
      "127.0.0.1, false", "127.0.0.2, false", "127.255.255.254, false", "0.0.0.0, false", "0.1.2.3, false",
      "10.0.0.1, false", "10.255.255.255, false", "172.16.0.1, false", "172.31.255.255, false",
      "192.168.1.1, false", "100.64.0.1, false", "100.127.255.255, false", "169.254.169.254, false",
      "169.254.0.1, false", "192.0.0.8, false", "192.0.2.1, false", "198.51.100.7, false", "203.0.113.9, false",
      "198.18.0.1, false", "198.19.255.255, false", "192.88.99.1, false", "224.0.0.1, false", "239.255.255.250, false",
      "240.0.0.1, false", "255.255.255.255, false",
      // IPv6 public
      "2606:4700:4700::1111, true", "2001:4860:4860::8888, true", "2a00:1450:4001:81c::200e, true",
      "::ffff:8.8.8.8, true", "64:ff9b::808:808, true", "2002:808:808::1, true",
      // IPv6 blocked
      "::, false", "::1, false", "::ffff:127.0.0.1, false", "::ffff:169.254.169.254, false", "::ffff:10.0.0.1, false",
      "::127.0.0.1, false", "::8.8.8.8, false", "fe80::1, false", "febf::1, false", "fec0::1, false",
      "fc00::1, false", "fd12:3456:789a::1, false", "ff02::1, false", "ff05::2, false", "2001:db8::1, false",
      "3fff::1, false", "100::1, false", "64:ff9b::7f00:1, false", "64:ff9b:1::1, false", "2002:7f00:1::1, false",
      "2002:c0a8:101::1, false", "2001:10::1, false", "2001:20::1, false", "2001:2::1, false",
      // Teredo: server 65.54.227.120, client 127.0.0.1 obfuscated (80ff:fffe) / client 8.8.8.8 (f7f7:f7f7)
      "2001:0:4136:e378:8000:63bf:80ff:fffe, false", "2001:0:4136:e378:8000:63bf:f7f7:f7f7, true"})
  void judgesAddresses(String literal, boolean expected) throws UnknownHostException {
    assertThat(AddressPolicy.isPublic(InetAddress.getByName(literal))).isEqualTo(expected);
  }

  @Test
  void embeddedIpv4IsJudgedEvenWhenJavaKeepsTheIpv6Form() throws UnknownHostException {
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = 127;
    mapped[15] = 1;
    assertThat(AddressPolicy.isPublic(java.net.Inet6Address.getByAddress(null, mapped, -1))).isFalse();
    mapped[12] = 8;
    mapped[15] = 8;
    assertThat(AddressPolicy.isPublic(java.net.Inet6Address.getByAddress(null, mapped, -1))).isTrue();
  }

  @Test
  void allowListMatchesTheHostAsWritten() {
    AddressPolicy policy = new AddressPolicy(List.of("LocalHost", "127.0.0.1", " images.internal.example ", "[::1]"));
    assertThat(policy.isAllowListed("localhost")).isTrue();
    assertThat(policy.isAllowListed("localhost.")).isTrue();
    assertThat(policy.isAllowListed("127.0.0.1")).isTrue();
    assertThat(policy.isAllowListed("IMAGES.internal.example")).isTrue();
    assertThat(policy.isAllowListed("[::1]")).isTrue();
    assertThat(policy.isAllowListed("::1")).isTrue();
    assertThat(policy.isAllowListed("127.0.0.2")).isFalse();
    assertThat(policy.isAllowListed("[::ffff:127.0.0.1]")).isFalse();
    assertThat(policy.isAllowListed("evil.localhost")).isFalse();
    assertThat(policy.isAllowListed(null)).isFalse();
    assertThat(new AddressPolicy(List.of()).isAllowListed("localhost")).isFalse();
  }
}
