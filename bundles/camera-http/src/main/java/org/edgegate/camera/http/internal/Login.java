package org.edgegate.camera.http.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A camera's login, answered to the server's challenge: HTTP Basic (RFC 7617) or Digest (RFC 7616, MD5 or
 * SHA-256, qop auth or none). {@link #toString()} never shows the password.
 */
final class Login {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String user;
    private final String password;
    /** The last Digest challenge's parameters, reused with a growing nonce count; null before one. */
    private Map<String, String> digest;
    private boolean basic;
    private int nonceCount;

    Login(String user, String password) {
        this.user = user;
        this.password = password;
    }

    boolean present() {
        return !user.isEmpty();
    }

    /**
     * Takes the server's WWW-Authenticate challenges (Digest preferred); false when none is one this login can
     * answer.
     */
    boolean challenged(List<String> challenges) {
        for (String c : challenges) {
            if (c.regionMatches(true, 0, "Digest ", 0, 7)) {
                Map<String, String> p = params(c.substring(7));
                String alg = p.getOrDefault("algorithm", "MD5").toUpperCase(Locale.ROOT);
                String qop = p.get("qop");
                if (p.containsKey("nonce") && (alg.equals("MD5") || alg.equals("SHA-256"))
                        && (qop == null || List.of(qop.split(",")).stream().anyMatch(q -> q.trim().equals("auth")))) {
                    digest = p;
                    nonceCount = 0;
                    return true;
                }
            }
        }
        for (String c : challenges) {
            if (c.regionMatches(true, 0, "Basic", 0, 5)) {
                basic = true;
                digest = null;
                return true;
            }
        }
        return false;
    }

    /** The Authorization header for a GET of {@code uri} (path and query), null before a challenge. */
    String authorization(String uri) {
        if (digest != null) {
            return digest(uri, String.format("%08x", ++nonceCount), cnonce());
        }
        if (basic) {
            return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }
        return null;
    }

    /** The Digest answer with the given nonce count and client nonce (fixed ones in tests). */
    String digest(String uri, String nc, String cnonce) {
        Map<String, String> p = digest;
        String alg = p.getOrDefault("algorithm", "MD5").toUpperCase(Locale.ROOT);
        String realm = p.getOrDefault("realm", "");
        String nonce = p.get("nonce");
        boolean qop = p.containsKey("qop");
        String ha1 = hash(alg, user + ":" + realm + ":" + password);
        String ha2 = hash(alg, "GET:" + uri);
        String response = qop ? hash(alg, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2)
                : hash(alg, ha1 + ":" + nonce + ":" + ha2);
        StringBuilder h = new StringBuilder("Digest username=\"").append(user).append("\", realm=\"").append(realm)
                .append("\", nonce=\"").append(nonce).append("\", uri=\"").append(uri).append("\", response=\"")
                .append(response).append('"');
        if (p.containsKey("algorithm")) {
            h.append(", algorithm=").append(p.get("algorithm"));
        }
        if (qop) {
            h.append(", qop=auth, nc=").append(nc).append(", cnonce=\"").append(cnonce).append('"');
        }
        if (p.containsKey("opaque")) {
            h.append(", opaque=\"").append(p.get("opaque")).append('"');
        }
        return h.toString();
    }

    private static String cnonce() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String hash(String alg, String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(alg).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(alg + " missing from the JDK", e);
        }
    }

    /** {@code a="x", b=y} as a map with lower-case names. */
    static Map<String, String> params(String s) {
        Map<String, String> out = new HashMap<>();
        int i = 0;
        while (i < s.length()) {
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = s.substring(i, eq).replace(",", "").trim().toLowerCase(Locale.ROOT);
            int j = eq + 1;
            String value;
            if (j < s.length() && s.charAt(j) == '"') {
                int end = s.indexOf('"', j + 1);
                end = end < 0 ? s.length() : end;
                value = s.substring(j + 1, end);
                i = end + 1;
            } else {
                int end = s.indexOf(',', j);
                end = end < 0 ? s.length() : end;
                value = s.substring(j, end).trim();
                i = end;
            }
            out.put(name, value);
            while (i < s.length() && (s.charAt(i) == ',' || s.charAt(i) == ' ')) {
                i++;
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return user.isEmpty() ? "no login" : "login " + user + (password.isEmpty() ? "" : ":***");
    }
}
