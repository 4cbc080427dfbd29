package org.edgegate.clips.internal;

import java.util.Hashtable;
import java.util.Objects;
import java.util.Set;

import org.edgegate.api.camera.Frame;
import org.edgegate.api.camera.FrameListener;
import org.edgegate.api.delivery.Delivery;
import org.edgegate.api.sensor.Reading;
import org.edgegate.api.sensor.ReadingListener;
import org.edgegate.api.state.StateChange;
import org.edgegate.api.state.StateListener;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The recorder's frame, state and reading listeners, registered only while it needs them. Two frame listeners:
 * the rings' (while a rule exists), called directly on each camera's capture thread ({@link Delivery#DIRECT}: it
 * only copies the JPEG into the ring, no thread is woken per frame), and the clips' (while a clip is written), on
 * a delivery thread because it writes files. Each names the cameras it wants (none: every camera), so cameras no
 * rule uses cost nothing. Registration happens outside the recorder's lock (the whiteboards call back into their
 * own locks).
 */
final class Listeners {
    private final BundleContext context;
    private final ClipRecorder recorder;
    private ServiceRegistration<FrameListener> rings;
    private ServiceRegistration<FrameListener> frames;
    private ServiceRegistration<StateListener> states;
    private ServiceRegistration<ReadingListener> readings;
    private Set<String> ringCameras;
    private Set<String> clipCameras;

    Listeners(BundleContext context, ClipRecorder recorder) {
        this.context = context;
        this.recorder = recorder;
    }

    /** Named classes, so gw:cameras and friends show whose listeners these are. */
    private record ClipRings(ClipRecorder recorder) implements FrameListener {
        @Override
        public void frameReceived(Frame frame) {
            recorder.buffer(frame);
        }
    }

    private record ClipFrames(ClipRecorder recorder) implements FrameListener {
        @Override
        public void frameReceived(Frame frame) {
            recorder.frameReceived(frame);
        }
    }

    private record ClipStates(ClipRecorder recorder) implements StateListener {
        @Override
        public void stateChanged(StateChange change) {
            recorder.stateChanged(change);
        }
    }

    private record ClipReadings(ClipRecorder recorder) implements ReadingListener {
        @Override
        public void readingReceived(Reading reading) {
            recorder.readingReceived(reading);
        }
    }

    /**
     * {@code buffering}: the cameras whose frames go to rings (null: every camera; empty: no ring);
     * {@code recording}: the cameras clips are written of (empty: none).
     */
    synchronized void update(boolean needed, Set<String> buffering, Set<String> recording) {
        if (!needed) {
            unregister(rings);
            unregister(frames);
            unregister(states);
            unregister(readings);
            rings = null;
            frames = null;
            states = null;
            readings = null;
            ringCameras = null;
            clipCameras = null;
            return;
        }
        if (buffering != null && buffering.isEmpty()) {
            unregister(rings);
            rings = null;
        } else if (rings == null) {
            Hashtable<String, Object> props = cameras(buffering);
            props.put(Delivery.PROPERTY, Delivery.DIRECT);
            rings = context.registerService(FrameListener.class, new ClipRings(recorder), props);
        } else if (!Objects.equals(ringCameras, buffering)) {
            Hashtable<String, Object> props = cameras(buffering);
            props.put(Delivery.PROPERTY, Delivery.DIRECT);
            rings.setProperties(props);
        }
        ringCameras = buffering;
        if (recording.isEmpty()) {
            unregister(frames);
            frames = null;
        } else if (frames == null) {
            frames = context.registerService(FrameListener.class, new ClipFrames(recorder), cameras(recording));
        } else if (!Objects.equals(clipCameras, recording)) {
            frames.setProperties(cameras(recording));
        }
        clipCameras = recording;
        if (states == null) {
            states = context.registerService(StateListener.class, new ClipStates(recorder), new Hashtable<>());
        }
        if (readings == null) {
            readings = context.registerService(ReadingListener.class, new ClipReadings(recorder), new Hashtable<>());
        }
    }

    /** The frame listener's camera filter: null for every camera. */
    private static Hashtable<String, Object> cameras(Set<String> wanted) {
        Hashtable<String, Object> props = new Hashtable<>();
        if (wanted != null) {
            props.put(FrameListener.CAMERA_ID, wanted.toArray(String[]::new));
        }
        return props;
    }

    private static void unregister(ServiceRegistration<?> r) {
        if (r != null) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregisters a stopping bundle's services itself
            }
        }
    }
}
