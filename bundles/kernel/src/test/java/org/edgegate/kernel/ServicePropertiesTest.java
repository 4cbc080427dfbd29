package org.edgegate.kernel;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import org.junit.Test;

public class ServicePropertiesTest {
    @Test
    public void aStringAnArrayAndACollectionAreLists() {
        assertEquals(List.of(), ServiceProperties.strings(null));
        assertEquals(List.of("cam0"), ServiceProperties.strings("cam0"));
        assertEquals(List.of("a", "b"), ServiceProperties.strings(new String[] {"a", "b"}));
        assertEquals(List.of("a", "b"), ServiceProperties.strings(List.of("a", "b")));
        assertEquals(List.of("x"), ServiceProperties.strings(Set.of("x")));
        assertEquals(List.of("5"), ServiceProperties.strings(5));
        assertEquals(List.of("1", "2"), ServiceProperties.strings(new Integer[] {1, 2}));
    }

    @Test
    public void valuesAreAsGivenWithoutNulls() {
        assertEquals(List.of("", " a "), ServiceProperties.strings(new String[] {"", null, " a "}));
        assertEquals(List.of("b"), ServiceProperties.strings(Arrays.asList(null, "b")));
        assertEquals(List.of(""), ServiceProperties.strings(""));
    }

    @Test
    public void tooManyValuesAreRefused() {
        assertEquals(ServiceProperties.MAX_VALUES,
                ServiceProperties.strings(Collections.nCopies(ServiceProperties.MAX_VALUES, "a")).size());
        try {
            ServiceProperties.strings(new String[ServiceProperties.MAX_VALUES + 1]);
            fail("too many values");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("1025 values refused (at most 1024)"));
        }
    }

    @Test
    public void theFirstValueTrimmedOrTheFallback() {
        assertEquals("native", ServiceProperties.first(null, "native"));
        assertEquals("native", ServiceProperties.first(" ", "native"));
        assertEquals("native", ServiceProperties.first(new String[0], "native"));
        assertEquals("seed", ServiceProperties.first(new String[] {" seed ", "other"}, "native"));
        assertEquals("7", ServiceProperties.first(7, "?"));
    }
}
