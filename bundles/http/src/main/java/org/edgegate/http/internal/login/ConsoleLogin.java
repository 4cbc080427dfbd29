package org.edgegate.http.internal.login;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Locale;

/**
 * The Felix Web Console's login, which the gateway's other HTTP endpoints (camera streams, /metrics) ask
 * for too through {@link LoginContext}: user name, stored password and realm as the console's configuration
 * (PID {@value #PID}) has them, with the console's default user and realm when it has none, but never a
 * default password (the gateway ships none, {@link InitialPassword}); and the checks of an {@code Authorization} header
 * against it (Basic) or against a configured token (Bearer). The password is stored the console's way:
 * clear text, or {@code {algorithm}[salt-[iterations-]]base64}, the digest applied {@code iterations} times
 * (1 when absent) starting from the UTF-8 bytes of salt and password. Comparisons take the same time
 * whatever matches.
 */
public record ConsoleLogin(String user, String password, String realm) {
    public static final String PID = "org.apache.felix.webconsole.internal.servlet.OsgiManager";
    /**
     * What no password matches: a SHA-256 "digest" four bytes long. The gateway's {@code etc/config.properties}
     * gives it to the console as {@code felix.webconsole.password}, its fallback while no password is set.
     */
    public static final String NO_PASSWORD = "{sha-256}bm9uZQ==";
    /** Without a configuration: the console's default user and realm, and no password that matches. */
    public static final ConsoleLogin DEFAULT = new ConsoleLogin("admin", NO_PASSWORD, "OSGi Management Console");

    /** From the console's configuration properties (null: none, the defaults). */
    public static ConsoleLogin of(Dictionary<String, ?> properties) {
        if (properties == null) {
            return DEFAULT;
        }
        return new ConsoleLogin(text(properties.get("username"), DEFAULT.user),
                text(properties.get("password"), DEFAULT.password), text(properties.get("realm"), DEFAULT.realm));
    }

    /** Whether an {@code Authorization: Basic ...} header names this user with this password. */
    public boolean acceptsBasic(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        return colon >= 0 && accepts(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    /** Whether these are the console's user and password. */
    public boolean accepts(String givenUser, String givenPassword) {
        boolean userOk = same(givenUser, user);
        boolean passwordOk = password(givenPassword, password);
        return userOk & passwordOk;
    }

    /** Whether an {@code Authorization: Bearer ...} header carries the token; never with an empty token. */
    public static boolean bearer(String authorization, String token) {
        if (authorization == null || token == null || token.isEmpty()
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return same(authorization.substring(7).trim(), token);
    }

    /** A given password against the stored form (see the class comment). */
    public static boolean password(String given, String stored) {
        if (given == null || stored == null) {
            return false;
        }
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

    /** Equal texts, compared in a time that does not depend on where they differ; false for a null. */
    public static boolean same(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(Object value, String otherwise) {
        String s = value == null ? "" : String.valueOf(value).trim();
        return s.isEmpty() ? otherwise : s;
    }
}
