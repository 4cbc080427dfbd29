package org.edgegate.clips.internal;

import java.util.Map;

import org.edgegate.commands.Json;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * Each finished clip as an OSGi event on topic {@value #TOPIC} (Event Admin, asynchronous), so another bundle
 * (the MQTT bridge, a notifier) can announce it without depending on this one: properties {@code clip},
 * {@code rule}, {@code state}, {@code trigger.time} (epoch ms), {@code frames} and {@code manifest} (the
 * manifest's JSON). Posted only where Event Admin runs; its package is an optional import.
 */
@Component(immediate = true)
public class ClipEvents {
    static final String TOPIC = "org/edgegate/clips/COMPLETE";

    @Reference
    private ClipRecorder recorder;

    /** Optional, so the bundle resolves where no Event Admin runs (Karaf without it): then nothing is posted. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin events;

    @Activate
    void activate() {
        recorder.onComplete(this::post);
    }

    @Deactivate
    void deactivate() {
        recorder.onComplete(null);
    }

    private void post(Manifest m) {
        int frames = 0;
        for (Manifest.CameraFile c : m.cameras()) {
            frames += c.frames();
        }
        EventAdmin admin = events;
        if (admin == null) {
            return;
        }
        admin.postEvent(new Event(TOPIC, Map.of("clip", m.clip(), "rule", m.rule(), "state", m.state(),
                "trigger.time", m.triggerTime(), "frames", frames, "manifest", Json.write(m.toMap()))));
    }
}
