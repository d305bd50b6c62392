package io.eventplane.identity.policy;

/**
 * An IPv4 or IPv6 CIDR block of an IpAddress/NotIpAddress condition ({@code 203.0.113.0/24},
 * {@code 2001:DB8:1234:5678::/64}; a bare address is its own /32 or /128). Addresses are parsed
 * without name resolution: anything that is not an address literal matches nothing.
 */
final class CidrBlock {
  private final byte[] network;
  private final int prefix;

  private CidrBlock(byte[] network, int prefix) {
    this.network = network;
    this.prefix = prefix;
  }

  /** The block, or null when the text is not a CIDR block. */
  static CidrBlock parse(String text) {
    String t = text.trim();
    int slash = t.indexOf('/');
    byte[] address = IpLiteral.parse(slash < 0 ? t : t.substring(0, slash));
    if (address == null) return null;
    int bits = address.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(t.substring(slash + 1));
      } catch (NumberFormatException e) {
        return null;
      }
      if (prefix < 0 || prefix > bits) return null;
    }
    return new CidrBlock(address, prefix);
  }

  boolean contains(byte[] address) {
    if (address == null || address.length != network.length) return false;
    int full = prefix / 8;
    for (int i = 0; i < full; i++) if (address[i] != network[i]) return false;
    int rest = prefix % 8;
    if (rest == 0) return true;
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (address[full] & mask) == (network[full] & mask);
  }
}
