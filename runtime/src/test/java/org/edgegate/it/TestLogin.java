package org.edgegate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The Web Console login every test uses, in one place. The installation ships no password (the first
 * start generates one, issue 19), so each test home gets this one before it starts: {@link #install}
 * writes the console's file with the password's salted hash, as {@code bin/edgegate-passwd} would.
 */
public final class TestLogin {
    public static final String USER = "admin";
    public static final String PASSWORD = "it-s3cret-Login";
    static final String FILE = "org.apache.felix.webconsole.internal.servlet.OsgiManager.cfg";

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

    /** Writes the test login into a home's {@code etc/} folder (before the gateway starts). */
    public static void install(Path etc) {
        try {
            Files.createDirectories(etc);
            Files.writeString(etc.resolve(FILE), "# written by the tests (TestLogin)\nusername = " + USER
                    + "\npassword = " + hash(PASSWORD, "5eed5eed5eed5eed") + "\nmanager.root = /system/console\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the test login into " + etc, e);
        }
    }

    /** The Web Console's salted form: {@code {sha-256}<salt>-1000-<base64 of SHA-256 applied 1000 times>}. */
    static String hash(String password, String salt) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] h = (salt + password).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 1000; i++) {
                h = digest.digest(h);
            }
            return "{sha-256}" + salt + "-1000-" + Base64.getEncoder().encodeToString(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
