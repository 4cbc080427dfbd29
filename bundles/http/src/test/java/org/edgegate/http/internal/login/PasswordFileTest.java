package org.edgegate.http.internal.login;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The console's password file: only a salted hash, owner-only, other lines kept; the generated password. */
public class PasswordFileTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void storesOnlyASaltedHashBothLoginsAccept() throws Exception {
        Path etc = folder.newFolder("etc").toPath();
        Files.writeString(etc.resolve(PasswordFile.FILE), "# shipped\nusername = ops\nmanager.root = /system/console\n");
        Files.setPosixFilePermissions(etc.resolve(PasswordFile.FILE), PosixFilePermissions.fromString("rw-r--r--"));
        PasswordFile file = new PasswordFile(etc);
        assertFalse(file.hasPassword());
        file.setPassword("Corr3ct horse");
        assertTrue(file.hasPassword());
        String text = Files.readString(file.path());
        assertFalse(text, text.contains("Corr3ct horse"));
        assertTrue(text, text.startsWith("# shipped\nusername = ops\nmanager.root = /system/console\npassword = {sha-256}"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path())));
        assertEquals("ops", file.user());
        String stored = text.substring(text.indexOf("{sha-256}")).trim();
        assertTrue(ConsoleLogin.password("Corr3ct horse", stored));
        assertFalse(ConsoleLogin.password("corr3ct horse", stored));
        assertTrue("the console's own check", consoleMatches(stored, "Corr3ct horse"));
        assertFalse("the console's fallback matches nothing", consoleMatches(ConsoleLogin.NO_PASSWORD, "admin"));

        file.setPassword("another one");
        String again = Files.readString(file.path());
        assertEquals(again, 1, again.lines().filter(l -> l.startsWith("password")).count());
        assertFalse(ConsoleLogin.password("Corr3ct horse", again.substring(again.indexOf("{sha-256}")).trim()));
        try (var left = Files.list(etc)) {
            assertEquals("no temporary file left", 1, left.count());
        }
    }

    @Test
    public void aMissingFileIsMadeWithTheDefaultUser() throws Exception {
        Path etc = folder.newFolder("etc2").toPath();
        PasswordFile file = new PasswordFile(etc);
        assertFalse(file.hasPassword());
        file.setPassword("12345678");
        assertTrue(Files.readString(file.path()).startsWith("username = admin\npassword = {sha-256}"));
        Files.writeString(file.path(), "username = admin\npassword =   \n");
        assertFalse("an empty password line is no password", file.hasPassword());
    }

    @Test
    public void saltsDifferAndGeneratedPasswordsAreLongAndUnambiguous() {
        SecureRandom random = new SecureRandom();
        assertNotEquals(PasswordFile.hash("same", random), PasswordFile.hash("same", random));
        String p = PasswordFile.generate(random);
        assertEquals(20, p.length());
        assertTrue(p, p.matches("[a-km-zA-HJ-NP-Z2-9]{20}"));
        assertNotEquals(p, PasswordFile.generate(random));
    }

    @Test
    public void passwdSetsOnlyAcceptablePasswordsAndDropsTheShownOne() throws Exception {
        Path etc = folder.newFolder("etc3").toPath();
        Path data = folder.newFolder("data").toPath();
        Files.writeString(data.resolve(PasswordFile.INITIAL), "generated\n");
        assertEquals(1, Passwd.run(etc, data, "short"));
        assertFalse(new PasswordFile(etc).hasPassword());
        assertEquals(1, Passwd.run(etc, data, null));
        assertEquals(0, Passwd.run(etc, data, "long enough"));
        assertTrue(new PasswordFile(etc).hasPassword());
        assertFalse(Files.exists(data.resolve(PasswordFile.INITIAL)));
    }

    private static boolean consoleMatches(String stored, String password) throws Exception {
        Class<?> consolePassword = Class.forName("org.apache.felix.webconsole.internal.servlet.Password");
        Constructor<?> make = consolePassword.getDeclaredConstructor(String.class);
        make.setAccessible(true);
        Method matches = consolePassword.getDeclaredMethod("matches", byte[].class);
        matches.setAccessible(true);
        return (Boolean) matches.invoke(make.newInstance(stored), (Object) password.getBytes(StandardCharsets.UTF_8));
    }
}
