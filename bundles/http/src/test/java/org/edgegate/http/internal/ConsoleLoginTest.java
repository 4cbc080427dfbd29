package org.edgegate.http.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Hashtable;

import org.junit.Test;

/** Our check of the console's password forms, against the Felix Web Console's own hashing code. */
public class ConsoleLoginTest {
    private static final String CONSOLE_PASSWORD = "org.apache.felix.webconsole.internal.servlet.Password";

    @Test
    public void clearTextPasswords() {
        ConsoleLogin login = new ConsoleLogin("admin", "edgegate", "r");
        assertTrue(login.accepts("admin", "edgegate"));
        assertFalse(login.accepts("admin", "edgegatE"));
        assertFalse(login.accepts("Admin", "edgegate"));
        assertFalse(login.accepts("admin", ""));
        assertFalse(login.accepts(null, "edgegate"));
    }

    @Test
    public void acceptsWhatTheConsoleHashed() throws Exception {
        Method hash = Class.forName(CONSOLE_PASSWORD).getDeclaredMethod("hashPassword", String.class);
        hash.setAccessible(true);
        String stored = (String) hash.invoke(null, "s3cret-ü");          // salted, 1000 iterations of SHA-256
        assertTrue(stored, stored.startsWith("{sha-256}"));
        assertTrue(ConsoleLogin.passwordMatches(stored, "s3cret-ü"));
        assertFalse(ConsoleLogin.passwordMatches(stored, "s3cret-u"));
        assertFalse(ConsoleLogin.passwordMatches(stored, stored));
    }

    @Test
    public void theConsoleAcceptsWhatWeHash() throws Exception {
        Constructor<?> make = Class.forName(CONSOLE_PASSWORD).getDeclaredConstructor(String.class);
        make.setAccessible(true);
        Method matches = make.getDeclaringClass().getDeclaredMethod("matches", byte[].class);
        matches.setAccessible(true);
        for (String stored : new String[] {ConsoleLogin.hash("SHA-256", null, 1, "pw"),
                ConsoleLogin.hash("SHA-256", "abcd", 1, "pw"), ConsoleLogin.hash("SHA-256", "abcd", 7, "pw")}) {
            Object console = make.newInstance(stored);
            assertEquals(stored, true, matches.invoke(console, (Object) "pw".getBytes(StandardCharsets.UTF_8)));
            assertEquals(stored, false, matches.invoke(console, (Object) "pW".getBytes(StandardCharsets.UTF_8)));
            assertTrue(stored, ConsoleLogin.passwordMatches(stored, "pw"));
            assertFalse(stored, ConsoleLogin.passwordMatches(stored, "pW"));
        }
        // The unsalted form the shipped etc/ file describes: {sha-256}<base64 of the digest>.
        assertEquals("{sha-256}XohImNooBHFR0OVvjcYpJ3NgPQ1qq73WKhHvch0VQtg=", ConsoleLogin.hash("SHA-256", null, 1, "password"));
    }

    @Test
    public void theConsolesDefaultsWithoutConfiguration() {
        assertEquals(ConsoleLogin.DEFAULT, ConsoleLogin.of(null));
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("username", "op");
        p.put("password", "{sha-256}x");
        ConsoleLogin l = ConsoleLogin.of(p);
        assertEquals("op", l.user());
        assertEquals("OSGi Management Console", l.realm());
    }
}
