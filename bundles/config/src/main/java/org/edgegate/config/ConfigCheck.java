package org.edgegate.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.edgegate.api.health.Ids;

/**
 * Validation of one typed configuration (the component's Metatype annotation interface, as DS hands it
 * to {@code activate}), in one place per bundle, with messages that name the key and the bad value. DS
 * throws when an accessor's value cannot be converted (e.g. {@code baud = fast}); this class turns that
 * into {@code baud must be a whole number, not 'fast'} using the raw properties for the value.
 * Every method throws {@link IllegalArgumentException} with such a message; values from outside are
 * quoted shortened ({@link Ids#quote}), so a message stays short whatever the configuration holds.
 */
public final class ConfigCheck {
    private final Map<String, ?> raw;

    /** {@code raw}: the same configuration's properties, to quote bad values. */
    public ConfigCheck(Map<String, ?> raw) {
        this.raw = raw;
    }

    /** The raw value of a key as text for messages, shortened ({@link Ids#quote}): it may be anything. */
    public String rawText(String key) {
        Object v = raw.get(key);
        return Ids.quote(v instanceof Object[] a ? Arrays.toString(a) : String.valueOf(v));
    }

    /** The accessor's value; a value DS could not convert fails as "{@code key} must be {@code what}". */
    public <T> T value(String key, Supplier<T> accessor, String what) {
        try {
            return accessor.get();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + " must be " + what + ", not '" + rawText(key) + "'");
        }
    }

    /**
     * A component's id: the configured {@code id}, else the name of its factory configuration (a file
     * {@code etc/<factoryPid>-th.cfg} gets the PID {@code <factoryPid>~th}), checked by the one rule for ids
     * ({@link Ids#check}: the message quotes a bad id shortened).
     */
    public String id(Supplier<String> accessor) {
        String id = value("id", accessor, "text");
        if (id == null || id.isBlank()) {
            String pid = String.valueOf(raw.get("service.pid"));
            int tilde = pid.indexOf('~');
            id = tilde >= 0 ? pid.substring(tilde + 1) : null;
        }
        check(id != null, "no id configured");
        return Ids.check("id", id.strip());
    }

    /** A text that must be present (not blank); {@code hint} tells what to give. */
    public String required(String key, Supplier<String> accessor, String hint) {
        String v = value(key, accessor, "text");
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("no " + key + " configured" + (hint.isEmpty() ? "" : " (" + hint + ")"));
        }
        return v.trim();
    }

    /** A whole number within [min, max]. */
    public long range(String key, Supplier<? extends Number> accessor, long min, long max) {
        long n = value(key, accessor, "a whole number").longValue();
        if (n < min || n > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", not " + n);
        }
        return n;
    }

    /** An int within [min, max]. */
    public int intRange(String key, Supplier<Integer> accessor, int min, int max) {
        return (int) range(key, accessor, min, max);
    }

    /** One of an enum's constants, case-insensitive, {@code -} and {@code /} read as {@code _}. */
    public <E extends Enum<E>> E choice(String key, Supplier<String> accessor, Class<E> type) {
        String s = value(key, accessor, "text").trim();
        try {
            return Enum.valueOf(type, s.toUpperCase(Locale.ROOT).replace('-', '_').replace('/', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " must be one of " + Arrays.toString(type.getEnumConstants())
                    + ", not '" + Ids.quote(s) + "'");
        }
    }

    /** Fails with the message unless the condition holds. */
    public static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
