package org.edgegate.shell.internal.command;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.apache.felix.service.command.Function;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Registers Gogo commands whose names have a dash. Gogo finds a command's Java method by the command's
 * name, and a Java method cannot have a dash in its name; so {@code gw:sensor-add} is served by the public
 * method(s) {@code sensorAdd} of a target object (the words after a dash capitalised, dashes dropped):
 *
 * {@link DashedCommandWhiteboard} does this for every service that asks for it by service properties.
 *
 * Each command is a {@link Function} service ({@code osgi.command.scope}, {@code osgi.command.function})
 * that hands its arguments to Gogo's own binding, so overloads, varargs, conversions and a
 * {@code CommandSession} parameter work as for any command, and an exception from the method is the
 * command's failure (the CLI exits with status 1). Beyond that:
 * <ul>
 * <li>{@code scope:command --help} returns a usage built from the methods' {@code @Descriptor}s;</li>
 * <li>arguments that fit no overload fail with an {@link IllegalArgumentException} that carries that
 * usage;</li>
 * <li>Gogo's {@code help} lists the command and {@code help scope:command} describes it like any other.</li>
 * </ul>
 */
public final class DashedCommands implements AutoCloseable {
    private final List<ServiceRegistration<?>> registrations;

    private DashedCommands(List<ServiceRegistration<?>> registrations) {
        this.registrations = registrations;
    }

    /**
     * Registers {@code scope:command} for each command, served by {@code target}'s public methods named
     * after it.
     *
     * @throws IllegalArgumentException if the target has no public method for one of the commands
     *         (nothing is registered then)
     */
    public static DashedCommands register(BundleContext context, Object target, String scope, String... commands) {
        List<Function> functions = new ArrayList<>();
        for (String command : commands) {
            functions.add(DashedFunction.create(target, scope, command));
        }
        List<ServiceRegistration<?>> registrations = new ArrayList<>();
        for (int i = 0; i < commands.length; i++) {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("osgi.command.scope", scope);
            props.put("osgi.command.function", commands[i]);
            registrations.add(context.registerService(Function.class, functions.get(i), props));
        }
        return new DashedCommands(registrations);
    }

    /** Unregisters the commands; safe to call twice. */
    @Override
    public synchronized void close() {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework cleaned up first (the bundle stopped)
            }
        }
        registrations.clear();
    }
}
