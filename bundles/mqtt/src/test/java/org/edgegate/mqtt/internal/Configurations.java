package org.edgegate.mqtt.internal;

import java.lang.reflect.Array;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link BrokerConfig} as DS would hand it over: the annotation's defaults, overridden by the given
 * values (keys as in etc/, e.g. {@code journal.maxMiB}), converted to the attribute's type.
 */
final class Configurations {
    private Configurations() {
    }

    static BrokerConfig of(Object... keysAndValues) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(((String) keysAndValues[i]).replace('.', '_'), keysAndValues[i + 1]);
        }
        return (BrokerConfig) Proxy.newProxyInstance(Configurations.class.getClassLoader(),
                new Class<?>[] { BrokerConfig.class }, (proxy, method, args) -> {
                    Object v = values.containsKey(method.getName()) ? values.get(method.getName())
                            : method.getDefaultValue();
                    Class<?> type = method.getReturnType();
                    if (v == null || type.isInstance(v) || type.isPrimitive()) {
                        return v;
                    }
                    if (type.isArray()) {
                        Object array = Array.newInstance(type.getComponentType(), 1);
                        Array.set(array, 0, v);
                        return array;
                    }
                    return v.toString();
                });
    }

    /** Settings checked against {@code etc} with host name "host". */
    static MqttSettings settings(Path etc, Object... keysAndValues) {
        return MqttSettings.of(of(keysAndValues), etc, "host");
    }
}
