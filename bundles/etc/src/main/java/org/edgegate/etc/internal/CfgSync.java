package org.edgegate.etc.internal;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.felix.utils.properties.TypedProperties;

/**
 * Decides, for each update of a configuration made from an etc/ file, whether it goes back to the file. Only
 * a change made elsewhere (Web Console, Gogo) does: the file must still hold what file and configuration
 * last agreed on. When the file has been edited since, the edit is the newer one and File Install applies
 * it at its next poll; writing the configuration over it would lose it (File Install's own write-back does,
 * when an edit follows the update it made from the previous edit within its event delivery).
 */
final class CfgSync {
    enum Outcome { IN_SYNC, WRITTEN, FILE_NEWER }

    private final TypedProperties.SubstitutionCallback substitution;
    private final Charset charset;
    /** Per PID, the properties file and configuration last agreed on. */
    private final Map<String, Map<String, Object>> agreed = new ConcurrentHashMap<>();

    CfgSync(TypedProperties.SubstitutionCallback substitution, Charset charset) {
        this.substitution = substitution;
        this.charset = charset;
    }

    /**
     * A configuration made from a file before writing back started: the file as it is now counts as agreed,
     * so a later change made elsewhere is written, and an edit of the file from now on is not overwritten.
     */
    void known(String pid, Path file) throws IOException {
        agreed.put(pid, CfgFile.read(file, substitution, charset));
    }

    Outcome updated(String pid, Path file, Map<String, Object> configuration) throws IOException {
        Map<String, Object> inFile = CfgFile.read(file, substitution, charset);
        if (CfgFile.same(configuration, inFile)) {
            agreed.put(pid, configuration);
            return Outcome.IN_SYNC;
        }
        Map<String, Object> last = agreed.get(pid);
        if (last == null || !CfgFile.same(last, inFile)) {
            return Outcome.FILE_NEWER;
        }
        CfgFile.update(file, configuration, substitution, charset);
        agreed.put(pid, configuration);
        return Outcome.WRITTEN;
    }

    void forget(String pid) {
        agreed.remove(pid);
    }
}
