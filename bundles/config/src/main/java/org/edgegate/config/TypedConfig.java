package org.edgegate.config;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A component property type (a Metatype annotation interface) over a map of properties, the way DS builds
 * it for {@code activate}: method names map to keys as DS maps them ({@code parser_regex} is
 * {@code parser.regex}, {@code $_$} is {@code -}, {@code __} is {@code _}), text converts to the return type,
 * a missing key gives the annotation's default, and a value that does not convert throws when its method
 * is called. For plain-Java tests of code that DS activates, and for anything else that holds raw
 * properties; the defaults stay in the annotation.
 */
public final class TypedConfig {
    private TypedConfig() {
    }

    public static <A> A of(Class<A> type, Map<String, ?> props) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, m, args) -> {
            switch (m.getName()) {
                case "toString":
                    return type.getSimpleName() + props;
                case "hashCode":
                    return props.hashCode();
                case "equals":
                    return proxy == args[0];
                case "annotationType":
                    return type;
                default:
                    Object v = props.get(key(m.getName()));
                    return v == null ? m.getDefaultValue() : convert(m, v);
            }
        }));
    }

    /** The property key of an accessor, by the DS rules. */
    public static String key(String method) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (method.startsWith("$_$", i)) {
                b.append('-');
                i += 2;
            } else if (c == '$') {
                if (i + 1 < method.length() && method.charAt(i + 1) == '$') {
                    b.append('$');
                    i++;
                }
            } else if (c == '_') {
                if (i + 1 < method.length() && method.charAt(i + 1) == '_') {
                    b.append('_');
                    i++;
                } else {
                    b.append('.');
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static Object convert(Method m, Object v) {
        Class<?> t = m.getReturnType();
        if (t.isArray()) {
            List<Object> items = new ArrayList<>();
            if (v instanceof Collection<?> c) {
                items.addAll(c);
            } else if (v.getClass().isArray()) {
                for (int i = 0; i < Array.getLength(v); i++) {
                    items.add(Array.get(v, i));
                }
            } else {
                items.add(v);
            }
            Object out = Array.newInstance(t.getComponentType(), items.size());
            for (int i = 0; i < items.size(); i++) {
                Array.set(out, i, scalar(t.getComponentType(), items.get(i), m));
            }
            return out;
        }
        if (v.getClass().isArray()) {
            v = Array.getLength(v) == 0 ? null : Array.get(v, 0);
            if (v == null) {
                return m.getDefaultValue();
            }
        }
        return scalar(t, v, m);
    }

    private static Object scalar(Class<?> t, Object v, Method m) {
        String s = v.toString().trim();
        try {
            if (t == String.class) {
                return v.toString();
            } else if (t == int.class) {
                return v instanceof Number n ? n.intValue() : Integer.parseInt(s);
            } else if (t == long.class) {
                return v instanceof Number n ? n.longValue() : Long.parseLong(s);
            } else if (t == double.class) {
                return v instanceof Number n ? n.doubleValue() : Double.parseDouble(s);
            } else if (t == float.class) {
                return v instanceof Number n ? n.floatValue() : Float.parseFloat(s);
            } else if (t == boolean.class) {
                return v instanceof Boolean b ? b : Boolean.parseBoolean(s);
            } else if (t.isEnum()) {
                return enumValue(t, s);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(m.getName() + ": cannot convert '" + v + "' to " + t.getSimpleName());
        }
        throw new IllegalArgumentException(m.getName() + ": unsupported type " + t.getSimpleName());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumValue(Class<?> t, String s) {
        return Enum.valueOf((Class) t, s);
    }
}
