package org.edgegate.kernel;

import java.util.List;

/** A {@link ConnectorLog} for tests: each line as "LEVEL text", formatted as the OSGi log would. */
final class RecordingLog {
    private RecordingLog() {
    }

    static ConnectorLog into(List<String> lines) {
        return ConnectorLog.of((f, a) -> lines.add("INFO " + ConnectorLog.format(f, a)),
                (f, a) -> lines.add("WARN " + ConnectorLog.format(f, a)),
                (f, a) -> lines.add("DEBUG " + ConnectorLog.format(f, a)));
    }
}
