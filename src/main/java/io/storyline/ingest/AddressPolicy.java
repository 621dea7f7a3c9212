package io.storyline.ingest;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Predicate;

/**
 * Which network addresses a fetch may reach. A feed list is user input and a feed's redirects
 * and links are a stranger's: left alone they make the ingestor a proxy into its own host and
 * network (a cloud metadata service, an admin port on 127.0.0.1). Unless
 * {@code ingest.allow-private-addresses} is set, a host must resolve to public addresses only:
 * not loopback, link-local, private (RFC 1918, unique-local IPv6, shared 100.64/10),
 * unspecified, broadcast or multicast.
 */
final class AddressPolicy {

    private final Predicate<InetAddress> allowed;

    AddressPolicy(Predicate<InetAddress> allowed) {
        this.allowed = allowed;
    }

    /** Every address allowed (nothing resolved here), or public ones only. */
    static AddressPolicy of(boolean allowPrivate) {
        return new AddressPolicy(allowPrivate ? null : a -> kind(a) == null);
    }

    /** Whether hosts need resolving and checking at all. */
    boolean checks() {
        return allowed != null;
    }

    /**
     * Resolves {@code host} and checks every address it resolves to (a name with one public
     * and one private address is refused: the client may connect to either). Resolving just
     * before the request fills the JVM's address cache, so the client connects to an address
     * checked here.
     *
     * @return null when allowed, else the first refused address with its kind
     * @throws UnknownHostException when the host does not resolve
     */
    String refusal(String host) throws UnknownHostException {
        return refusal(InetAddress.getAllByName(host));
    }

    String refusal(InetAddress[] addresses) {
        if (allowed == null) {
            return null;
        }
        for (InetAddress a : addresses) {
            if (!allowed.test(a)) {
                String kind = kind(a);
                return a.getHostAddress() + (kind == null ? "" : ", " + kind);
            }
        }
        return null;
    }

    /** "a loopback address", "a private address"... or null for a public address. */
    static String kind(InetAddress a) {
        if (a.isAnyLocalAddress()) {
            return "an unspecified address";
        }
        if (a.isLoopbackAddress()) {
            return "a loopback address";
        }
        if (a.isLinkLocalAddress()) {
            return "a link-local address";
        }
        if (a.isMulticastAddress()) {
            return "a multicast address";
        }
        if (a.isSiteLocalAddress()) {
            return "a private address";
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0) {
                return "an unspecified address";
            }
            if (first == 100 && second >= 64 && second < 128) {
                return "a private address"; // shared address space of carrier-grade NAT
            }
            if (first == 255 && (b[1] & b[2] & b[3] & 0xff) == 0xff) {
                return "a broadcast address";
            }
        } else if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return "a private address"; // fc00::/7, unique local
            }
            if (isMappedOrCompatibleV4(b)) {
                try {
                    byte[] v4 = {b[12], b[13], b[14], b[15]};
                    return kind(InetAddress.getByAddress(v4));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException("4 bytes make an IPv4 address", e);
                }
            }
        }
        return null;
    }

    /** ::ffff:a.b.c.d or ::a.b.c.d: an IPv4 address inside an IPv6 one. */
    private static boolean isMappedOrCompatibleV4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0);
    }
}
