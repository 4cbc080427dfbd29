package org.edgegate.http.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Locale;

/**
 * The Felix Web Console's login, as its configuration (PID {@value #PID}) sets it: user name, password and
 * realm, with the console's defaults when it has no configuration. The password may be stored in clear or
 * hashed the console's way: {@code {algorithm}} then, optionally, {@code salt-} and {@code iterations-},
 * then the Base64 digest of the UTF-8 bytes of salt + password, digested {@code iterations} times.
 */
record ConsoleLogin(String user, String password, String realm) {
    static final String PID = "org.apache.felix.webconsole.internal.servlet.OsgiManager";
    static final ConsoleLogin DEFAULT = new ConsoleLogin("admin", "admin", "OSGi Management Console");

    static ConsoleLogin of(Dictionary<String, Object> properties) {
        if (properties == null) {
            return DEFAULT;
        }
        return new ConsoleLogin(text(properties.get("username"), DEFAULT.user),
                text(properties.get("password"), DEFAULT.password), text(properties.get("realm"), DEFAULT.realm));
    }

    /** True when these credentials are the console's. */
    boolean accepts(String givenUser, String givenPassword) {
        boolean userOk = constantTimeEquals(user, givenUser);
        boolean passwordOk = passwordMatches(password, givenPassword);
        return userOk & passwordOk;
    }

    /** Whether a password as typed matches the stored one, in clear or in the console's hashed form. */
    static boolean passwordMatches(String stored, String given) {
        if (stored == null || given == null) {
            return false;
        }
        int close = stored.startsWith("{") ? stored.indexOf('}') : -1;
        if (close <= 1) {
            return constantTimeEquals(stored, given);
        }
        String algorithm = stored.substring(1, close);
        String rest = stored.substring(close + 1);
        String salt = null;
        int iterations = 1;
        int dash = rest.indexOf('-');
        if (dash >= 0) {
            salt = rest.substring(0, dash);
            int dash2 = rest.indexOf('-', dash + 1);
            if (dash2 >= 0) {
                try {
                    iterations = Integer.parseInt(rest.substring(dash + 1, dash2));
                } catch (NumberFormatException e) {
                    iterations = 1;
                }
            }
        }
        String expected;
        try {
            expected = hash(algorithm, salt, iterations, given);
        } catch (NoSuchAlgorithmException e) {
            return false;
        }
        return constantTimeEquals(stored, expected);
    }

    /** The console's hashed form of a password. */
    static String hash(String algorithm, String salt, int iterations, String password) throws NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance(algorithm.toUpperCase(Locale.ROOT));
        byte[] bytes = ((salt == null ? "" : salt) + password).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < Math.max(1, iterations); i++) {
            digest.reset();
            bytes = digest.digest(bytes);
        }
        StringBuilder b = new StringBuilder("{").append(algorithm.toLowerCase(Locale.ROOT)).append('}');
        if (salt != null && !salt.isEmpty()) {
            b.append(salt).append('-');
            if (iterations > 1) {
                b.append(iterations).append('-');
            }
        }
        return b.append(Base64.getEncoder().encodeToString(bytes)).toString();
    }

    static boolean constantTimeEquals(String a, String b) {
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
