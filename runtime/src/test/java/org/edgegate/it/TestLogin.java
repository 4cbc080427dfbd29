package org.edgegate.it;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The Web Console login every test uses (one place: the user, the password, the Basic header). */
public final class TestLogin {
    public static final String USER = "admin";
    public static final String PASSWORD = "edgegate";

    private TestLogin() {
    }

    /** {@code Basic base64(user:password)}. */
    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The test login's Basic header. */
    public static String basic() {
        return basic(USER, PASSWORD);
    }
}
