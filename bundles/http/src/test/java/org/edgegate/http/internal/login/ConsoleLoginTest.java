package org.edgegate.http.internal.login;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Hashtable;

import org.junit.Test;

/** The console's login forms, checked also against the Felix Web Console's own hashing code. */
public class ConsoleLoginTest {
    private static final String CONSOLE_PASSWORD = "org.apache.felix.webconsole.internal.servlet.Password";
    private static final ConsoleLogin CLEAR = new ConsoleLogin("admin", "edgegate", "r");

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void clearTextPassword() {
        assertTrue(CLEAR.acceptsBasic(basic("admin", "edgegate")));
        assertFalse(CLEAR.acceptsBasic(basic("admin", "wrong")));
        assertFalse(CLEAR.acceptsBasic(basic("root", "edgegate")));
        assertFalse(CLEAR.acceptsBasic(basic("admin", "")));
        assertTrue(new ConsoleLogin("admin", "with:colon", "r").acceptsBasic(basic("admin", "with:colon")));
        assertFalse(CLEAR.accepts(null, "edgegate"));
    }

    @Test
    public void hashedPasswordAsTheWebConsoleStoresIt() throws Exception {
        String stored = "{sha-256}" + Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest("s3cret".getBytes(StandardCharsets.UTF_8)));
        ConsoleLogin login = new ConsoleLogin("admin", stored, "r");
        assertTrue(login.acceptsBasic(basic("admin", "s3cret")));
        assertFalse(login.acceptsBasic(basic("admin", "S3cret")));
        assertFalse("the stored hash is not a password", login.acceptsBasic(basic("admin", stored)));
        assertTrue(ConsoleLogin.password("password", "{sha-256}XohImNooBHFR0OVvjcYpJ3NgPQ1qq73WKhHvch0VQtg="));
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
        assertTrue(ConsoleLogin.password("edgegate", stored));
        assertFalse(ConsoleLogin.password("edgegatE", stored));
        // salt without iterations: one round
        String once = "{sha-256}" + salt + "-" + Base64.getEncoder().encodeToString(
                md.digest((salt + "pw").getBytes(StandardCharsets.UTF_8)));
        assertTrue(ConsoleLogin.password("pw", once));
        assertFalse(ConsoleLogin.password("pw", "{sha-256}" + salt + "-x-abc"));
        assertFalse(ConsoleLogin.password("pw", "{no-such-digest}abc"));
    }

    /** A salted hash as the console and edgegate-passwd write it. */
    @Test
    public void aSaltedHashFromTheConsole() {
        assertTrue(ConsoleLogin.password("edgegate",
                "{sha-256}f14fdcfc7c365156-1000-+LMgIW9buaIng0qrXkKagaFsFWE89XIA29Z0n9v6rAQ="));
    }

    /** What etc/config.properties gives the console while no password is set: nothing matches it. */
    @Test
    public void noPasswordMatchesTheFallback() throws Exception {
        for (String p : new String[] { "", "admin", "none", ConsoleLogin.NO_PASSWORD }) {
            assertFalse(p, ConsoleLogin.password(p, ConsoleLogin.NO_PASSWORD));
        }
        assertFalse(ConsoleLogin.DEFAULT.acceptsBasic(basic("admin", "admin")));
    }

    /** Whatever the console itself hashes (a fresh salt, 1000 rounds), and the other way round. */
    @Test
    public void agreesWithTheConsolesOwnCode() throws Exception {
        Class<?> consolePassword = Class.forName(CONSOLE_PASSWORD);
        Method hash = consolePassword.getDeclaredMethod("hashPassword", String.class);
        hash.setAccessible(true);
        String stored = (String) hash.invoke(null, "s3cret-ü");
        assertTrue(stored, ConsoleLogin.password("s3cret-ü", stored));
        assertFalse(stored, ConsoleLogin.password("s3cret-u", stored));

        Constructor<?> make = consolePassword.getDeclaredConstructor(String.class);
        make.setAccessible(true);
        Method matches = consolePassword.getDeclaredMethod("matches", byte[].class);
        matches.setAccessible(true);
        String ours = "{sha-256}" + Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest("pw".getBytes(StandardCharsets.UTF_8)));
        assertEquals(true, matches.invoke(make.newInstance(ours), (Object) "pw".getBytes(StandardCharsets.UTF_8)));
        assertEquals(false, matches.invoke(make.newInstance(ours), (Object) "pW".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    public void malformedHeadersAreRefused() {
        assertFalse(CLEAR.acceptsBasic(null));
        assertFalse(CLEAR.acceptsBasic("Basic !!!"));
        assertFalse(CLEAR.acceptsBasic("Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes())));
        assertFalse(CLEAR.acceptsBasic("Digest abc"));
    }

    @Test
    public void bearerToken() {
        assertTrue(ConsoleLogin.bearer("Bearer t0ken", "t0ken"));
        assertTrue(ConsoleLogin.bearer("bearer t0ken", "t0ken"));
        assertFalse(ConsoleLogin.bearer("Bearer other", "t0ken"));
        assertFalse("no token configured lets nobody in", ConsoleLogin.bearer("Bearer ", ""));
        assertFalse(ConsoleLogin.bearer(basic("a", "b"), "t0ken"));
    }

    @Test
    public void theConsolesDefaultsWithoutConfiguration() {
        assertEquals(ConsoleLogin.DEFAULT, ConsoleLogin.of(null));
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("username", "op");
        p.put("password", "{sha-256}x");
        ConsoleLogin l = ConsoleLogin.of(p);
        assertEquals("op", l.user());
        assertEquals("{sha-256}x", l.password());
        assertEquals("OSGi Management Console", l.realm());
    }
}
