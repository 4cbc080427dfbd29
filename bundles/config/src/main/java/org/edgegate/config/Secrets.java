package org.edgegate.config;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Secrets in configurations are private properties: their keys start with a dot ({@code .password}), which
 * Configuration Admin and DS never copy into service properties, where any bundle (and the Web Console's
 * service view) could read them. A configuration written before that still holds the public key
 * ({@code password}); it keeps working, with a warning, until the operator renames the key.
 */
public final class Secrets {
    private Secrets() {
    }

    /**
     * The secret configured under {@code "." + key} (the Metatype accessor {@code _key()}), else under the old
     * public {@code key} with a warning that the secret is visible in the service registry.
     *
     * @param raw the component's properties as DS gives them to {@code activate}
     */
    public static String value(Map<String, ?> raw, String key, Consumer<String> warn) {
        Object current = raw.get("." + key);
        if (current != null && !String.valueOf(current).isEmpty()) {
            return String.valueOf(current);
        }
        Object legacy = raw.get(key);
        if (legacy == null || String.valueOf(legacy).isEmpty()) {
            return "";
        }
        warn.accept(deprecation(key, raw.get("service.pid")));
        return String.valueOf(legacy);
    }

    /** The warning for a secret under its old public key: what to rename, and why. */
    public static String deprecation(String key, Object pid) {
        return "configuration " + pid + ": '" + key + "' is deprecated: every bundle can read it in the service "
                + "registry; rename it to '." + key + "' (a leading dot keeps it private)";
    }

    /**
     * {@code config} with its accessor of the private {@code "." + key} answering {@link #value} (the old public
     * key when only that is configured): one line in {@code activate} for a component whose checks read the
     * secret from its typed configuration.
     */
    public static <A> A withLegacy(Class<A> type, A config, Map<String, ?> raw, String key, Consumer<String> warn) {
        String accessor = "_" + key.replace(".", "_");
        String secret = value(raw, key, warn);
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getName().equals(accessor) && method.getParameterCount() == 0) {
                return secret;
            }
            try {
                method.setAccessible(true); // the configuration interfaces are package-private
                return method.invoke(config, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h));
    }
}
