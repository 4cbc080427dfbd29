package org.edgegate.api.health;

import java.util.regex.Pattern;

/**
 * The one rule for identifiers that come from configuration or the network (sensor, camera, endpoint,
 * broker, publisher ids): 1 to {@value #MAX_LENGTH} of {@code A-Z a-z 0-9 . _ -}. Such an id is safe in a
 * state key segment, a file name, a metric label, an MQTT topic level and a log line. Anything refused is
 * quoted through {@link #quote}, never raw: a hostile value cannot make a message, log line or label
 * unbounded.
 */
public final class Ids {
    public static final int MAX_LENGTH = 64;
    /** How much of a refused text a message quotes. */
    public static final int QUOTED = 64;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_LENGTH + "}");

    private Ids() {
    }

    /** Null for a valid id, otherwise why it is not (without the id itself). */
    public static String problem(String id) {
        if (id == null || id.isEmpty()) {
            return "is empty";
        }
        if (id.length() > MAX_LENGTH) {
            return "is " + id.length() + " characters long, at most " + MAX_LENGTH + " are allowed";
        }
        if (!ID.matcher(id).matches()) {
            return "may hold only letters A-Z a-z, digits, '.', '_' and '-'";
        }
        if (id.equals(".") || id.equals("..")) {
            return "cannot be '.' or '..'";
        }
        return null;
    }

    /**
     * The id when valid; otherwise an {@link IllegalArgumentException} such as
     * {@code id 'cccc... (5242880 characters)' is 5242880 characters long, at most 64 are allowed}.
     *
     * @param what what the id is called in the message, e.g. {@code id} or {@code cameras}
     */
    public static String check(String what, String id) {
        String problem = problem(id);
        if (problem != null) {
            throw new IllegalArgumentException(what + " '" + quote(id) + "' " + problem);
        }
        return id;
    }

    /** Whether {@code id} follows the rule. */
    public static boolean valid(String id) {
        return problem(id) == null;
    }

    /**
     * Any text from outside made fit to quote in a message, log line or label: at most {@value #QUOTED}
     * characters, control characters shown as {@code ?}, the full length named when it was cut. A valid id
     * comes back as it is, so this is also how an id from outside is shown whether or not it was refused
     * (no {@link #valid} check first).
     */
    public static String quote(String text) {
        if (text == null) {
            return "";
        }
        int n = Math.min(text.length(), QUOTED);
        StringBuilder b = new StringBuilder(n + 24);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            b.append(Character.isISOControl(c) || Character.isSurrogate(c) ? '?' : c);
        }
        if (text.length() > QUOTED) {
            b.append("... (").append(text.length()).append(" characters)");
        }
        return b.toString();
    }
}
