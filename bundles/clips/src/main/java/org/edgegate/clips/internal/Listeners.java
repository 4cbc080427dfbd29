package org.edgegate.clips.internal;

import java.util.Hashtable;
import java.util.Objects;
import java.util.Set;

import org.edgegate.api.camera.Frame;
import org.edgegate.api.camera.FrameListener;
import org.edgegate.api.sensor.Reading;
import org.edgegate.api.sensor.ReadingListener;
import org.edgegate.api.state.StateChange;
import org.edgegate.api.state.StateListener;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The recorder's frame, state and reading listeners, registered only while it needs them; the frame listener
 * names the cameras it wants (none: every camera), so cameras no rule uses cost nothing. Registration happens
 * outside the recorder's lock (the whiteboards call back into their own locks).
 */
final class Listeners {
    private final BundleContext context;
    private final ClipRecorder recorder;
    private ServiceRegistration<FrameListener> frames;
    private ServiceRegistration<StateListener> states;
    private ServiceRegistration<ReadingListener> readings;
    private Set<String> cameras;

    Listeners(BundleContext context, ClipRecorder recorder) {
        this.context = context;
        this.recorder = recorder;
    }

    /** Named classes, so gw:cameras and friends show whose listeners these are. */
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

    /** {@code wanted}: the cameras to hear, null for every camera. */
    synchronized void update(boolean needed, Set<String> wanted) {
        if (!needed) {
            unregister(frames);
            unregister(states);
            unregister(readings);
            frames = null;
            states = null;
            readings = null;
            cameras = null;
            return;
        }
        Hashtable<String, Object> props = new Hashtable<>();
        if (wanted != null) {
            // An empty list would mean every camera: name one no camera can have (ids never hold '/').
            props.put(FrameListener.CAMERA_ID, wanted.isEmpty() ? new String[] {"/none"} : wanted.toArray(String[]::new));
        }
        if (frames == null) {
            frames = context.registerService(FrameListener.class, new ClipFrames(recorder), props);
        } else if (!Objects.equals(cameras, wanted)) {
            frames.setProperties(props);
        }
        cameras = wanted;
        if (states == null) {
            states = context.registerService(StateListener.class, new ClipStates(recorder), new Hashtable<>());
        }
        if (readings == null) {
            readings = context.registerService(ReadingListener.class, new ClipReadings(recorder), new Hashtable<>());
        }
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
