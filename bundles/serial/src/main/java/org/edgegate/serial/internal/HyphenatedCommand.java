package org.edgegate.serial.internal;

import java.lang.reflect.Method;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.apache.felix.gogo.runtime.Reflective;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Function;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * A Gogo command whose name has a hyphen ({@code gw:sensor-add}) served by a Java method
 * ({@code sensorAdd}). Gogo calls a {@link Function} service directly; this one hands the arguments to
 * Gogo's own {@link Reflective} binder, so overloads, varargs and conversions work as for any command.
 * Called with {@code --help}, or with arguments no overload takes, it prints the methods' descriptions.
 */
final class HyphenatedCommand implements Function {
    private final Object target;
    private final String command;
    private final String method;

    private HyphenatedCommand(Object target, String command, String method) {
        this.target = target;
        this.command = command;
        this.method = method;
    }

    static ServiceRegistration<?> register(BundleContext context, Object target, String scope, String command,
            String method) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.command.scope", scope);
        props.put("osgi.command.function", command);
        return context.registerService(Function.class, new HyphenatedCommand(target, scope + ":" + command, method),
                props);
    }

    @Override
    public Object execute(CommandSession session, List<Object> arguments) throws Exception {
        if (arguments.size() == 1 && "--help".equals(String.valueOf(arguments.get(0)))) {
            return usage();
        }
        try {
            return Reflective.invoke(session, target, method, arguments);
        } catch (IllegalArgumentException e) {
            if (String.valueOf(e.getMessage()).startsWith("Cannot coerce")) {
                throw new IllegalArgumentException("wrong arguments; usage:" + System.lineSeparator() + usage(), e);
            }
            throw e;
        }
    }

    String usage() {
        StringBuilder b = new StringBuilder();
        for (Method m : target.getClass().getMethods()) {
            if (!m.getName().equals(method)) {
                continue;
            }
            b.append(command);
            for (java.lang.reflect.Parameter p : m.getParameters()) {
                Descriptor d = p.getAnnotation(Descriptor.class);
                String name = d != null ? d.value() : p.getName();
                b.append(" <").append(name).append(p.isVarArgs() ? "...>" : ">");
            }
            Descriptor d = m.getAnnotation(Descriptor.class);
            b.append(System.lineSeparator()).append("    ").append(d != null ? d.value() : "")
                    .append(System.lineSeparator());
        }
        return b.toString();
    }
}
