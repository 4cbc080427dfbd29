package org.edgegate.http.internal.login;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code bin/edgegate-passwd}: sets the Web Console's password (the gateway's one login) from standard
 * input, stored as a salted hash in {@code etc/}, whether the gateway runs (File Install applies the file
 * within a second) or not. Arguments: the etc folder, the data folder. Exit status 0 set, 1 refused
 * (too short, the two entries differ), 2 the file could not be written.
 */
public final class Passwd {
    static final int MIN_LENGTH = 8;
    static final int MAX_LENGTH = 1024;

    private Passwd() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: edgegate-passwd (reads the new password from standard input)");
            System.exit(2);
        }
        System.exit(run(Path.of(args[0]), Path.of(args[1])));
    }

    static int run(Path etc, Path data) {
        try {
            return run(etc, data, read());
        } catch (IOException e) {
            System.err.println("edgegate-passwd: cannot read the password: " + e.getMessage());
            return 1;
        }
    }

    /** Sets this password (null: the two entries differ); the exit status. */
    static int run(Path etc, Path data, String password) {
        if (password == null) {
            System.err.println("edgegate-passwd: the two entries differ; nothing changed");
            return 1;
        }
        if (password.length() < MIN_LENGTH || password.length() > MAX_LENGTH) {
            System.err.println("edgegate-passwd: a password has " + MIN_LENGTH + " to " + MAX_LENGTH
                    + " characters; nothing changed");
            return 1;
        }
        PasswordFile file = new PasswordFile(etc);
        try {
            file.setPassword(password);
            Files.deleteIfExists(data.resolve(PasswordFile.INITIAL));
            System.out.println("edgegate-passwd: the Web Console password of user '" + file.user() + "' is set (" + file.path()
                    + "); a running gateway applies it within a second, a stopped one at its next start");
            return 0;
        } catch (IOException e) {
            System.err.println("edgegate-passwd: cannot write " + file.path() + ": " + e);
            return 2;
        }
    }

    /** From a terminal: asked twice, not echoed (null when they differ); otherwise the first line of stdin. */
    private static String read() throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("New Web Console password: ");
            char[] second = console.readPassword("Again: ");
            if (first == null || second == null || !Arrays.equals(first, second)) {
                return null;
            }
            return new String(first);
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        return line == null ? "" : line;
    }
}
