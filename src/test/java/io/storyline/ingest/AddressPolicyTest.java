package io.storyline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class AddressPolicyTest {

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal); // a literal: no lookup
    }

    private static String kind(String literal) throws UnknownHostException {
        return AddressPolicy.kind(ip(literal));
    }

    @Test
    void namesEveryKindOfNonPublicAddress() throws UnknownHostException {
        assertEquals("a loopback address", kind("127.0.0.1"));
        assertEquals("a loopback address", kind("127.8.9.10"));
        assertEquals("a loopback address", kind("::1"));
        assertEquals("a link-local address", kind("169.254.169.254"));
        assertEquals("a link-local address", kind("fe80::1"));
        assertEquals("a private address", kind("10.0.0.1"));
        assertEquals("a private address", kind("172.16.5.4"));
        assertEquals("a private address", kind("172.31.255.255"));
        assertEquals("a private address", kind("192.168.1.1"));
        assertEquals("a private address", kind("100.64.0.1"));
        assertEquals("a private address", kind("fd12:3456::1"));
        assertEquals("a private address", kind("fc00::1"));
        assertEquals("a multicast address", kind("224.0.0.251"));
        assertEquals("a multicast address", kind("ff02::1"));
        assertEquals("an unspecified address", kind("0.0.0.0"));
        assertEquals("an unspecified address", kind("::"));
        assertEquals("a broadcast address", kind("255.255.255.255"));
        assertEquals("a private address", kind("::ffff:10.0.0.1"));
        assertEquals("a loopback address", kind("::127.0.0.1"));
    }

    @Test
    void publicAddressesPass() throws UnknownHostException {
        for (String literal : new String[] {"8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1",
                "192.169.0.1", "2001:4860:4860::8888", "::ffff:8.8.8.8"}) {
            assertNull(kind(literal), literal);
        }
    }

    @Test
    void everyResolvedAddressIsChecked() throws UnknownHostException {
        AddressPolicy strict = AddressPolicy.of(false);
        assertEquals("10.0.0.1, a private address",
                strict.refusal(new InetAddress[] {ip("8.8.8.8"), ip("10.0.0.1")}));
        assertNull(strict.refusal(new InetAddress[] {ip("8.8.8.8"), ip("1.1.1.1")}));
        assertNull(AddressPolicy.of(true).refusal(new InetAddress[] {ip("127.0.0.1")}));
        assertEquals("127.0.0.1, a loopback address", strict.refusal("127.0.0.1"));
    }
}
