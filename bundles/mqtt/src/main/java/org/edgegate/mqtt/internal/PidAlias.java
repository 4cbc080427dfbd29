package org.edgegate.mqtt.internal;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.edgegate.api.health.Ids;

/**
 * What remote configuration and {@code bin/edgegate-fleet} take as a PID: one as Configuration Admin names it
 * ({@link #isPid}), or in its place (issue 25) a factory configuration by its EdgeGate id, {@code sensor/th} or {@code camera/cam0}, as {@code gw:status} names them. It
 * means the configuration of that factory whose {@code id} property is that id; one not there yet is created as
 * {@code <factory>~<id>} (its {@code etc/} file {@code <factory>-<id>.cfg}) with that id.
 */
record PidAlias(String kind, String id) {
    /** The kinds and their factory PIDs: what the gateway's fleet info lists (sensors, cameras). */
    static final Map<String, String> FACTORIES = new TreeMap<>(Map.of(
            "sensor", "org.edgegate.serial.sensor",
            "camera", "org.edgegate.camera"));

    static final int MAX_PID = 200;

    /** A PID as Configuration Admin names it: {@code org.edgegate.x} or a named factory one {@code org.edgegate.x~name}. */
    static boolean isPid(String s) {
        int tilde = s.indexOf('~');
        return isPidText(s) && (tilde < 0 || tilde > 0 && tilde == s.lastIndexOf('~') && tilde < s.length() - 1);
    }

    /** Letters, digits and {@code . _ - ~}, at most {@value #MAX_PID} characters. */
    static boolean isPidText(String s) {
        return !s.isEmpty() && s.length() <= MAX_PID && s.chars().allMatch(c -> c < 128
                && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-' || c == '~'));
    }

    PidAlias {
        Objects.requireNonNull(FACTORIES.get(kind), kind);
    }

    /**
     * The alias of {@code text} ({@code kind/id}), null when the text is no alias at all (a PID, or no slash);
     * an {@link IllegalArgumentException} naming what is wrong when it has the form but not a known kind or a
     * valid id.
     */
    static PidAlias parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return null;
        }
        String kind = text.substring(0, slash);
        String id = text.substring(slash + 1);
        if (!FACTORIES.containsKey(kind)) {
            throw new IllegalArgumentException("'" + Ids.quote(text) + "' is neither a PID nor "
                    + String.join("/<id>, ", FACTORIES.keySet()) + "/<id>");
        }
        Ids.check(kind + " id", id);
        return new PidAlias(kind, id);
    }

    String factoryPid() {
        return FACTORIES.get(kind);
    }

    /** The PID a new configuration gets: {@code org.edgegate.serial.sensor~th}. */
    String newPid() {
        return factoryPid() + "~" + id;
    }

    /** Whether a configuration (its factory PID, its {@code id} property) is the one this alias names. */
    boolean names(String factoryPid, Object idProperty) {
        return factoryPid().equals(factoryPid) && idProperty != null && id.equals(idProperty.toString().strip());
    }

    @Override
    public String toString() {
        return kind + "/" + id;
    }
}
