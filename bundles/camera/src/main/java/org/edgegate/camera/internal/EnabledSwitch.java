package org.edgegate.camera.internal;

import java.util.Hashtable;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.edgegate.api.state.StateChange;
import org.edgegate.api.state.StateEntry;
import org.edgegate.api.state.StateListener;
import org.edgegate.api.state.StateService;
import org.edgegate.api.state.StateValidator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The state key {@code camera/<id>/enabled} as a camera's on/off switch. The configuration's value is the
 * initial one and is written to the state; from then on whoever writes the key (gw:state, ZeroMQ, MQTT,
 * {@code Camera.start/stop}) switches the camera. Writes are applied in version order, so a late
 * notification cannot undo a newer start or stop. A value that means neither on nor off is refused at the
 * write by a {@link StateValidator}; one that is in the state anyway (written before this camera came) is
 * ignored and said.
 */
final class EnabledSwitch {
    /** What a camera does with the switch; called with the switch's lock held, in the order of the writes. */
    interface Target {
        void switchTo(boolean on);

        /** A value that means neither on nor off was written to the key; it changes nothing. */
        void ignored(String why);

        /** The key could not be written. */
        void cannotWrite(RuntimeException e);
    }

    static final String MEANING = "use true or false (or on/off, yes/no, 1/0)";

    private final String key;
    private final boolean initial;
    private final Target target;
    private final Supplier<StateService> state;
    private volatile boolean open;
    private ServiceRegistration<StateListener> listener;
    private ServiceRegistration<StateValidator> validator;
    private boolean desired;
    /** The newest state write applied; versions count within one state service's life. */
    private long appliedVersion;

    EnabledSwitch(String key, boolean initial, Supplier<StateService> state, Target target) {
        this.key = key;
        this.state = state;
        this.initial = initial;
        this.target = target;
    }

    String key() {
        return key;
    }

    /** Starts listening to the key and applies the initial value. */
    void open(BundleContext context) {
        open = true;
        validator = context.registerService(StateValidator.class,
                (k, v) -> k.equals(key) && parse(v) == null ? MEANING : null,
                new Hashtable<>(Map.of(StateValidator.PREFIX, key)));
        listener = context.registerService(StateListener.class, this::changed,
                new Hashtable<>(Map.of(StateListener.PREFIX, key)));
        apply(initial, write(initial));
    }

    void close() {
        open = false;
        unregister(listener);
        unregister(validator);
        listener = null;
        validator = null;
    }

    private static void unregister(ServiceRegistration<?> registration) {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregistered it with the bundle
            }
        }
    }

    /** A state service came (back): what it holds wins, otherwise it learns what the camera does. */
    void stateBound(StateService s) {
        synchronized (this) {
            appliedVersion = 0;
        }
        if (open) {
            Optional<StateEntry> e = s.get(key);
            if (e.isPresent()) {
                applyValue(e.get().value(), e.get().version());
            } else {
                boolean on = desired();
                apply(on, write(on));
            }
        }
    }

    /** Switches from code (Camera.start/stop): written to the state so every client sees it. */
    void set(boolean on) {
        apply(on, write(on));
    }

    synchronized boolean desired() {
        return desired;
    }

    private void changed(StateChange change) {
        if (!open || !change.key().equals(key)) {
            return;
        }
        if (change.isRemoval()) {
            apply(initial, change.version());
        } else {
            applyValue(change.entry().value(), change.version());
        }
    }

    private void applyValue(Object value, long version) {
        Boolean on = parse(value);
        if (on == null) {
            target.ignored("ignored " + key + " = " + value + " (" + MEANING + ")");
        } else {
            apply(on, version);
        }
    }

    /** true, false, numbers (the seed's 1 and 0) and on/off/yes/no; null for anything else. */
    static Boolean parse(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (v instanceof String s) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "true", "on", "yes", "1":
                    return true;
                case "false", "off", "no", "0":
                    return false;
                default:
                    return null;
            }
        }
        return null;
    }

    /** Writes the flag; returns the version written, 0 when there is no state to write to. */
    private long write(boolean on) {
        StateService s = state.get();
        if (s != null) {
            try {
                return s.put(key, on).version();
            } catch (RuntimeException e) {
                target.cannotWrite(e);
            }
        }
        return 0;
    }

    /** {@code version} is the state write this comes from (0: none); older writes than one applied are ignored. */
    private synchronized void apply(boolean on, long version) {
        if (version != 0) {
            if (version <= appliedVersion) {
                return;
            }
            appliedVersion = version;
        }
        desired = on;
        if (open) {
            target.switchTo(on);
        }
    }
}
