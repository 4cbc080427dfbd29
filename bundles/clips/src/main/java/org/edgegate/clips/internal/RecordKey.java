package org.edgegate.clips.internal;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.edgegate.api.state.StateChange;
import org.edgegate.api.state.StateListener;
import org.edgegate.api.state.StateService;
import org.edgegate.api.state.StateValidator;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * A manual clip asked for through the state: writing {@value #KEY} ({@code "cam0 cam1 30"} or
 * {@code {"cameras":["cam0"],"seconds":30}}) records one, as {@code gw:clips record}. That is how MQTT starts one
 * ({@code P/state/clips/record/set}, under the bridge's {@code commands.allow}) without this bundle knowing MQTT or
 * MQTT knowing clips: the two meet at the state service. The validator refuses a bad request before it is
 * written (the writer gets the reason: MQTT counts it as a refused command); what then happened, a clip or why
 * not, is written to {@value #RESULT}.
 */
@Component(service = { RecordKey.class, StateValidator.class, StateListener.class },
        property = StateListener.PREFIX + "=" + RecordKey.KEY)
public class RecordKey implements StateValidator, StateListener {
    static final String KEY = "clips/record";
    static final String RESULT = KEY + "/result";

    @Reference(service = LoggerFactory.class)
    private Logger log;

    @Reference
    private ClipRecorder recorder;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile StateService state;

    final AtomicLong accepted = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    private volatile String lastRefusal = "";
    private volatile long lastLog;

    @Override
    public String problem(String key, Object value) {
        if (!key.equals(KEY)) {
            return null; // the result, and longer keys under the prefix
        }
        try {
            RecordRequest r = RecordRequest.parse(value);
            List<String> known = recorder.cameraIds();
            for (String c : r.cameras()) {
                if (!known.contains(c)) {
                    throw new IllegalArgumentException("no camera '" + c + "'");
                }
            }
            return null;
        } catch (IllegalArgumentException e) {
            refused(e.getMessage());
            return e.getMessage();
        }
    }

    /** On a state delivery thread: the request passed the validator; record it and say what happened. */
    @Override
    public void stateChanged(StateChange change) {
        if (!change.key().equals(KEY) || change.isRemoval()) {
            return;
        }
        String result;
        try {
            RecordRequest r = RecordRequest.parse(change.entry().value());
            String id = recorder.record(r.cameras(), r.seconds());
            accepted.incrementAndGet();
            result = "recording " + id + " (" + r + ")";
            log.info("clip {} asked for through {}", id, KEY);
        } catch (IllegalArgumentException | IllegalStateException e) { // a camera gone, a disk that refuses
            refused(e.getMessage());
            result = "refused: " + e.getMessage();
        }
        StateService s = state;
        try {
            if (s != null) {
                s.put(RESULT, result);
            }
        } catch (IllegalArgumentException full) { // the state's limits: the log and gw:clips still tell
            log.warn("{} not written: {}", RESULT, full.getMessage());
        }
    }

    private void refused(String why) {
        refused.incrementAndGet();
        lastRefusal = why;
        long now = System.nanoTime();
        if (now - lastLog > 1_000_000_000L) { // at most one line a second: a flood cannot fill the log
            lastLog = now;
            log.warn("{} refused ({} so far): {}", KEY, refused.get(), why);
        }
    }

    String lastRefusal() {
        return lastRefusal;
    }
}
