package org.edgegate.state.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.edgegate.api.state.StateValidator;

/** The registered validators with their key prefixes, asked as one: the first problem found wins. */
final class Validators implements StateValidator {
    private final Map<StateValidator, List<String>> byValidator = new ConcurrentHashMap<>();

    void add(StateValidator validator, List<String> prefixes) {
        byValidator.put(validator, List.copyOf(prefixes));
    }

    void remove(StateValidator validator) {
        byValidator.remove(validator);
    }

    @Override
    public String problem(String key, Object value) {
        for (Map.Entry<StateValidator, List<String>> e : byValidator.entrySet()) {
            if (covers(e.getValue(), key)) {
                String problem = e.getKey().problem(key, value);
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    /** A loop, not a stream: asked on every write. */
    private static boolean covers(List<String> prefixes, String key) {
        if (prefixes.isEmpty()) {
            return true;
        }
        for (String p : prefixes) {
            if (key.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
