package org.edgegate.metrics.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * Who may scrape: the Web Console's user and password as HTTP Basic (the password as the console stores
 * it: clear text or hashed, see {@link #password}), or a bearer
 * token, and by default only from the loopback interface. Comparisons take the same time whatever
 * matches.
 */
final class Access {
    private Access() {
    }

    /** Whether the request's remote address is a loopback one (127.0.0.0/8, ::1). */
    static boolean loopback(String remoteAddress) {
        if (remoteAddress == null || remoteAddress.isEmpty()) {
            return false;
        }
        String a = remoteAddress.startsWith("[") && remoteAddress.endsWith("]")
                ? remoteAddress.substring(1, remoteAddress.length() - 1) : remoteAddress;
        // Only literal addresses: a name is never resolved here.
        if (!a.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':' || c == '%')) {
            return false;
        }
        try {
            return InetAddress.getByName(a).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Whether an {@code Authorization: Basic ...} header names this user with a password matching the stored one. */
    static boolean basic(String authorization, String user, String storedPassword) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6) || user == null
                || storedPassword == null) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        boolean userOk = same(decoded.substring(0, colon), user);
        boolean passwordOk = password(decoded.substring(colon + 1), storedPassword);
        return userOk & passwordOk;
    }

    /** Whether an {@code Authorization: Bearer ...} header carries the token; never with an empty token. */
    static boolean bearer(String authorization, String token) {
        if (authorization == null || token == null || token.isEmpty()
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return same(authorization.substring(7).trim(), token);
    }

    /**
     * A given password against the form the Web Console stores: clear text, or
     * {@code {algorithm}[salt-[iterations-]]base64}, the digest applied {@code iterations} times (1 when
     * absent) starting from the UTF-8 bytes of salt and password, the salt taken as the text it is.
     */
    static boolean password(String given, String stored) {
        int end = stored.startsWith("{") ? stored.indexOf('}') : -1;
        if (end <= 1) {
            return same(given, stored);
        }
        String algorithm = stored.substring(1, end).toUpperCase(Locale.ROOT);
        String[] parts = stored.substring(end + 1).trim().split("-", -1);
        String salt = parts.length > 1 ? parts[0] : "";
        int iterations = 1;
        if (parts.length == 3) {
            try {
                iterations = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        if (parts.length > 3 || iterations < 1 || iterations > 1_000_000) {
            return false;
        }
        try {
            byte[] expected = Base64.getDecoder().decode(parts[parts.length - 1]);
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            byte[] actual = (salt + given).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < iterations; i++) {
                actual = digest.digest(actual);
            }
            return MessageDigest.isEqual(actual, expected);
        } catch (NoSuchAlgorithmException | IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
