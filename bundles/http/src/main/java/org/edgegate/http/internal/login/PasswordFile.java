package org.edgegate.http.internal.login;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The Web Console's password where the installation keeps it: the {@code password} line of
 * {@code etc/}{@value #FILE}, only ever as a salted hash in the console's own form
 * ({@code {sha-256}<salt>-<rounds>-<base64>}, which the console and {@link ConsoleLogin} both check).
 * The file is replaced whole (a new file next to it, then renamed over it), readable by its owner only
 * (0600), its other lines kept. Plain JDK code: {@code bin/edgegate-passwd} runs it without the gateway.
 */
public final class PasswordFile {
    public static final String FILE = ConsoleLogin.PID + ".cfg";
    /** Where the first start leaves a password it generated (in the data folder), for the owner only. */
    public static final String INITIAL = "initial-password";
    static final int ROUNDS = 1000;
    private static final Pattern PASSWORD_LINE = Pattern.compile("^\\s*password\\s*[=:].*");
    private static final Pattern PASSWORD_SET = Pattern.compile("^\\s*password\\s*[=:]\\s*\\S.*");
    private static final Pattern USER_LINE = Pattern.compile("^\\s*username\\s*[=:]\\s*(.*?)\\s*$");
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private final Path file;

    public PasswordFile(Path etc) {
        this.file = etc.resolve(FILE);
    }

    public Path path() {
        return file;
    }

    /** Whether the file sets a password (any non-empty {@code password} line). */
    public boolean hasPassword() throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().anyMatch(l -> PASSWORD_SET.matcher(l).matches());
    }

    /** The user name the file sets, or the console's default. */
    public String user() throws IOException {
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                var m = USER_LINE.matcher(line);
                if (m.matches() && !m.group(1).isEmpty()) {
                    return m.group(1);
                }
            }
        }
        return ConsoleLogin.DEFAULT.user();
    }

    /** Stores the password's salted hash (never the password), replacing any password line. */
    public void setPassword(String password) throws IOException {
        List<String> lines = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!PASSWORD_LINE.matcher(line).matches()) {
                    lines.add(line);
                }
            }
        }
        if (lines.stream().noneMatch(l -> USER_LINE.matcher(l).matches())) {
            lines.add("username = " + ConsoleLogin.DEFAULT.user());
        }
        lines.add("password = " + hash(password, new SecureRandom()));
        writePrivately(file, String.join("\n", lines) + "\n");
    }

    /** The console's salted form: {@code {sha-256}<16 hex salt>-1000-<base64 of SHA-256 applied 1000 times>}. */
    static String hash(String password, SecureRandom random) {
        byte[] saltBytes = new byte[8];
        random.nextBytes(saltBytes);
        String salt = HexFormat.of().formatHex(saltBytes);
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] h = (salt + password).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < ROUNDS; i++) {
                h = digest.digest(h);
            }
            return "{sha-256}" + salt + "-" + ROUNDS + "-" + Base64.getEncoder().encodeToString(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** A new random password: 20 letters and digits that cannot be mistaken for each other (about 116 bits). */
    public static String generate(SecureRandom random) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    /**
     * Writes a file readable by its owner only: a new 0600 file beside it, renamed over it. A file that
     * was there keeps its owner and group where this user may set them (root running edgegate-passwd for
     * a gateway that runs as its own user).
     */
    public static void writePrivately(Path target, String text) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        PosixFileAttributes before = Files.exists(target)
                ? Files.readAttributes(target, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS) : null;
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            if (before != null) {
                try {
                    PosixFileAttributeView view = Files.getFileAttributeView(target, PosixFileAttributeView.class);
                    view.setGroup(before.group());
                    view.setOwner(before.owner());
                } catch (IOException | UnsupportedOperationException e) {
                    // not ours to give away: the file stays this user's
                }
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
