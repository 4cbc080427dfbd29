package org.edgegate.mqtt.internal;

import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * The clips bundle's events for one broker (Event Admin whiteboard). The only class that uses Event Admin's
 * package, which the bundle imports optionally: without it this class cannot load and no clip is announced.
 */
final class ClipEventHandler implements EventHandler {
    private final ClipMessages clips;

    private ClipEventHandler(ClipMessages clips) {
        this.clips = clips;
    }

    static ServiceRegistration<?> register(BundleContext context, ClipMessages clips) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(EventConstants.EVENT_TOPIC, ClipMessages.EVENT_TOPIC);
        return context.registerService(EventHandler.class, new ClipEventHandler(clips), p);
    }

    @Override
    public void handleEvent(Event event) {
        clips.offer(event::getProperty); // never blocks: the bridge's queues take it
    }
}
