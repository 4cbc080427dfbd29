package org.edgegate.etc.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides, for each update of a configuration, whether it goes to its etc/ file. A change made elsewhere (Web
 * Console, Gogo, any bundle) does, and a configuration with no file yet gets one; but when the file has been
 * edited since file and configuration last agreed, the edit is the newer one and File Install applies it at
 * its next poll: writing the configuration over it would lose it (File Install's own write-back does, when an
 * edit follows the update it made from the previous edit within its event delivery).
 */
final class CfgSync {
    enum Outcome { IN_SYNC, WRITTEN, CREATED, FILE_NEWER, READ_BEFORE }

    /**
     * Told what the file holds (as File Install reads it) when it agrees with the configuration: before a
     * new text is written (so that File Install, seeing the file, finds the configuration it belongs to), or
     * when nothing needed writing.
     */
    interface Agreed {
        void agreed(Map<String, Object> fileView) throws IOException;
    }

    private final CfgFile cfg;
    /** Per PID, the properties file and configuration last agreed on. */
    private final Map<String, Map<String, Object>> agreed = new ConcurrentHashMap<>();

    CfgSync(CfgFile cfg) {
        this.cfg = cfg;
    }

    /**
     * A configuration whose file existed before writing back started: the file as it is now counts as agreed,
     * so a later change made elsewhere is written, and an edit of the file from now on is not overwritten.
     */
    void known(String pid, Path file) throws IOException {
        agreed.put(pid, cfg.read(file));
    }

    Outcome updated(String pid, Path file, Map<String, Object> configuration, Agreed then) throws IOException {
        return updated(pid, file, configuration, false, then);
    }

    /**
     * {@code fromFile}: File Install made this update from the file. When the file holds something else now,
     * File Install read it before its last change and reads it again at its next scans (the change is newer
     * than its scan): writing would put the older text back over the newer ({@link Outcome#READ_BEFORE}).
     */
    Outcome updated(String pid, Path file, Map<String, Object> configuration, boolean fromFile, Agreed then)
            throws IOException {
        boolean exists = Files.isRegularFile(file);
        if (exists) {
            Map<String, Object> inFile = cfg.read(file);
            if (CfgFile.same(configuration, inFile)) {
                agreed.put(pid, inFile);
                then.agreed(inFile);
                return Outcome.IN_SYNC;
            }
            if (fromFile) {
                return Outcome.READ_BEFORE;
            }
            Map<String, Object> last = agreed.get(pid);
            if (last == null || !CfgFile.same(last, inFile)) {
                return Outcome.FILE_NEWER;
            }
        }
        CfgFile.Rendered rendered = cfg.render(file, configuration);
        Map<String, Object> view = cfg.parse(rendered.text());
        then.agreed(view);
        cfg.write(file, rendered.text());
        agreed.put(pid, view);
        return exists ? Outcome.WRITTEN : Outcome.CREATED;
    }

    void forget(String pid) {
        agreed.remove(pid);
    }
}
