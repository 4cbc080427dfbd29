package org.edgegate.mqtt.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.edgegate.api.health.Health;
import org.edgegate.api.health.Monitored;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;

/**
 * Watches for the component of one configuration to take a change: the first registration or modification of a
 * {@link Monitored} service carrying that {@code service.pid} (DS puts the configuration's properties on the
 * service) after the watch began, and that service's health then — FAILED is the component's own check refusing
 * the configuration.
 */
final class HealthWatch implements ServiceListener, AutoCloseable {
    private final BundleContext context;
    private final CountDownLatch seen = new CountDownLatch(1);
    private final AtomicReference<ServiceReference<?>> reference = new AtomicReference<>();

    HealthWatch(BundleContext context, String pid) throws InvalidSyntaxException {
        this.context = context;
        // pid is checked (PidAlias.isPid): nothing in it is filter syntax
        context.addServiceListener(this, "(&(objectClass=" + Monitored.class.getName() + ")(service.pid=" + pid + "))");
    }

    @Override
    public void serviceChanged(ServiceEvent event) {
        if (event.getType() == ServiceEvent.REGISTERED || event.getType() == ServiceEvent.MODIFIED) {
            reference.compareAndSet(null, event.getServiceReference());
            seen.countDown();
        }
    }

    /** The health of the component after the change, or null if none showed within the time. */
    Health await(long millis) {
        try {
            if (!seen.await(millis, TimeUnit.MILLISECONDS)) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        @SuppressWarnings("unchecked")
        ServiceReference<Monitored> r = (ServiceReference<Monitored>) reference.get();
        Monitored m = context.getService(r);
        if (m == null) {
            return null;
        }
        try {
            return m.health();
        } finally {
            context.ungetService(r);
        }
    }

    @Override
    public void close() {
        context.removeServiceListener(this);
    }
}
