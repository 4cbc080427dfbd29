package org.edgegate.metrics.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

import org.junit.Test;

public class AccessTest {

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void clearTextPassword() {
        assertTrue(Access.basic(basic("admin", "edgegate"), "admin", "edgegate"));
        assertFalse(Access.basic(basic("admin", "wrong"), "admin", "edgegate"));
        assertFalse(Access.basic(basic("root", "edgegate"), "admin", "edgegate"));
        assertTrue(Access.basic(basic("admin", "with:colon"), "admin", "with:colon"));
    }

    @Test
    public void hashedPasswordAsTheWebConsoleStoresIt() throws Exception {
        String stored = "{sha-256}" + Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest("s3cret".getBytes(StandardCharsets.UTF_8)));
        assertTrue(Access.basic(basic("admin", "s3cret"), "admin", stored));
        assertFalse(Access.basic(basic("admin", "S3cret"), "admin", stored));
        assertFalse("the stored hash is not a password", Access.basic(basic("admin", stored), "admin", stored));
    }

    /** What the Web Console 5 writes when it hashes a password itself: salted, 1000 rounds. */
    @Test
    public void saltedIteratedPasswordAsWebConsole5WritesIt() throws Exception {
        String salt = "f14fdcfc7c365156";
        byte[] h = (salt + "edgegate").getBytes(StandardCharsets.UTF_8);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < 1000; i++) {
            h = md.digest(h);
        }
        String stored = "{sha-256}" + salt + "-1000-" + Base64.getEncoder().encodeToString(h);
        assertTrue(Access.basic(basic("admin", "edgegate"), "admin", stored));
        assertFalse(Access.basic(basic("admin", "edgegatE"), "admin", stored));
        // salt without iterations: one round
        String once = "{sha-256}" + salt + "-" + Base64.getEncoder().encodeToString(
                md.digest((salt + "pw").getBytes(StandardCharsets.UTF_8)));
        assertTrue(Access.password("pw", once));
        assertFalse(Access.password("pw", "{sha-256}" + salt + "-x-abc"));
        assertFalse(Access.password("pw", "{no-such-digest}abc"));
    }

    /** The file shipped in etc/: the runtime's own login must pass. */
    @Test
    public void theShippedPassword() {
        assertTrue(Access.password("edgegate",
                "{sha-256}f14fdcfc7c365156-1000-+LMgIW9buaIng0qrXkKagaFsFWE89XIA29Z0n9v6rAQ="));
    }

    @Test
    public void malformedHeadersAreRefused() {
        assertFalse(Access.basic(null, "admin", "edgegate"));
        assertFalse(Access.basic("Basic !!!", "admin", "edgegate"));
        assertFalse(Access.basic("Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes()), "admin", "x"));
        assertFalse(Access.basic("Digest abc", "admin", "edgegate"));
    }

    @Test
    public void bearerToken() {
        assertTrue(Access.bearer("Bearer t0ken", "t0ken"));
        assertTrue(Access.bearer("bearer t0ken", "t0ken"));
        assertFalse(Access.bearer("Bearer other", "t0ken"));
        assertFalse("no token configured lets nobody in", Access.bearer("Bearer ", ""));
        assertFalse(Access.bearer(basic("a", "b"), "t0ken"));
    }

    @Test
    public void loopbackOnlyByLiteralAddress() {
        assertTrue(Access.loopback("127.0.0.1"));
        assertTrue(Access.loopback("127.3.2.1"));
        assertTrue(Access.loopback("::1"));
        assertTrue(Access.loopback("[::1]"));
        assertTrue(Access.loopback("0:0:0:0:0:0:0:1"));
        assertFalse(Access.loopback("192.168.1.5"));
        assertFalse(Access.loopback("localhost"));
        assertFalse(Access.loopback(""));
        assertFalse(Access.loopback(null));
    }
}
