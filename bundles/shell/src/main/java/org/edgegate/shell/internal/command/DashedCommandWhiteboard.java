package org.edgegate.shell.internal.command;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.component.annotations.Reference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Gogo finds a command's method by the command's name and Java cannot name a method
 * {@code sensor-add}; so a bundle that wants dashed commands registers its command object with the
 * service properties {@value #SCOPE} and {@value #FUNCTION} (one or more names), and this whiteboard
 * registers a Gogo {@code Function} for each, served by the object's methods named in camel case
 * ({@code sensorAdd}). The feature bundles need no import of ours: a service property is the whole
 * contract, and the commands come and go with their services, in whatever order bundles resolve.
 */
@Component(immediate = true)
public class DashedCommandWhiteboard {
    static final String SCOPE = "edgegate.command.scope";
    static final String FUNCTION = "edgegate.command.function";

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private ServiceTracker<Object, DashedCommands> tracker;

    @Activate
    void activate(BundleContext context) throws InvalidSyntaxException {
        Filter filter = FrameworkUtil.createFilter("(&(" + SCOPE + "=*)(" + FUNCTION + "=*))");
        tracker = new ServiceTracker<>(context, filter, null) {
            @Override
            public DashedCommands addingService(ServiceReference<Object> ref) {
                Object target = context.getService(ref);
                if (target == null) {
                    return null;
                }
                try {
                    return DashedCommands.register(context, target, String.valueOf(ref.getProperty(SCOPE)),
                            names(ref.getProperty(FUNCTION)));
                } catch (RuntimeException e) {
                    log.error("Cannot register the commands {} of {}: {}", ref.getProperty(FUNCTION),
                            ref.getBundle().getSymbolicName(), e.getMessage());
                    context.ungetService(ref);
                    return null;
                }
            }

            @Override
            public void removedService(ServiceReference<Object> ref, DashedCommands commands) {
                commands.close();
                context.ungetService(ref);
            }
        };
        tracker.open(true);
    }

    @Deactivate
    void deactivate() {
        tracker.close();
    }

    static String[] names(Object property) {
        if (property instanceof String[] array) {
            return array;
        } else if (property instanceof java.util.Collection<?> c) {
            return c.stream().map(String::valueOf).toArray(String[]::new);
        }
        return new String[] {String.valueOf(property)};
    }
}
