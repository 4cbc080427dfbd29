package org.edgegate.camera.internal.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.edgegate.api.camera.FrameSourceProvider;
import org.edgegate.kernel.ServiceProperties;

/**
 * Frame-source providers by the schemes in their {@link FrameSourceProvider#SCHEME} property (one String or
 * several), as DS binds and unbinds them. The last bound provider of a scheme serves it.
 */
public final class SourceProviders {
    private final Map<String, FrameSourceProvider> byScheme = new ConcurrentHashMap<>();

    /** Adds the provider; returns the schemes it serves. */
    public List<String> add(FrameSourceProvider provider, Map<String, Object> props) {
        List<String> schemes = schemes(props);
        schemes.forEach(s -> byScheme.put(s, provider));
        return schemes;
    }

    /** Removes the provider; returns the schemes no longer served by it (another may have taken one since). */
    public List<String> remove(FrameSourceProvider provider, Map<String, Object> props) {
        List<String> gone = new ArrayList<>();
        for (String s : schemes(props)) {
            if (byScheme.remove(s, provider)) {
                gone.add(s);
            }
        }
        return gone;
    }

    public FrameSourceProvider get(String scheme) {
        return byScheme.get(scheme);
    }

    /** The schemes served now, sorted, for messages. */
    public String installed() {
        return String.join(", ", new TreeSet<>(byScheme.keySet()));
    }

    private static List<String> schemes(Map<String, Object> props) {
        List<String> out = new ArrayList<>(ServiceProperties.strings(props.get(FrameSourceProvider.SCHEME)));
        out.replaceAll(s -> s.trim().toLowerCase(java.util.Locale.ROOT));
        out.removeIf(String::isEmpty);
        return out;
    }
}
