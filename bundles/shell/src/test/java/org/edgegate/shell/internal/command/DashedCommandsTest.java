package org.edgegate.shell.internal.command;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Function;
import org.apache.felix.service.command.Parameter;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** Dashed commands run in a real Gogo command processor, and carry what Gogo's help reads. */
public class DashedCommandsTest {

    /** A feature's commands, as a feature bundle writes them. */
    public static class Numbers {
        CommandSession seen;

        @Descriptor("add two numbers")
        public long numberAdd(@Descriptor("first") int a, @Descriptor("second") long b) {
            return a + b;
        }

        @Descriptor("add three numbers")
        public long numberAdd(@Descriptor("first") int a, @Descriptor("second") long b,
                @Descriptor("third") double c) {
            return a + b + (long) c;
        }

        @Descriptor("join words")
        public String wordsJoin(CommandSession session,
                @Parameter(names = {"-s", "--separator"}, absentValue = " ") @Descriptor("between words") String separator,
                @Descriptor("the words") String... words) {
            seen = session;
            return String.join(separator, words);
        }

        public String alwaysFail() {
            throw new IllegalStateException("broken on purpose");
        }
    }

    private final Numbers numbers = new Numbers();
    private CommandProcessorImpl processor;
    private CommandSession session;

    @Before
    public void gogo() {
        processor = new CommandProcessorImpl();
        for (String command : List.of("number-add", "words-join", "always-fail")) {
            processor.addCommand("t", DashedFunction.create(numbers, "t", command), command);
        }
        PrintStream discard = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        session = processor.createSession(InputStream.nullInputStream(), discard, discard);
    }

    @After
    public void close() {
        session.close();
    }

    @Test
    public void runsTheOverloadThatTakesTheArguments() throws Exception {
        assertEquals(5L, session.execute("t:number-add 2 3"));
        assertEquals(9L, session.execute("t:number-add 2 3 4.5"));
        assertEquals("a-b-c", session.execute("t:words-join --separator - a b c"));
        assertEquals("a b", session.execute("words-join a b"));
        assertSame("Gogo passes its session", session, numbers.seen);
    }

    @Test
    public void failuresAreExceptions() {
        IllegalStateException own = assertThrows(IllegalStateException.class, () -> session.execute("t:always-fail"));
        assertEquals("broken on purpose", own.getMessage());
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> session.execute("t:number-add 1"));
        assertTrue(wrong.getMessage(), wrong.getMessage().startsWith("wrong arguments; usage:"));
        assertTrue(wrong.getMessage(), wrong.getMessage().contains("t:number-add <first> <second> <third>"));
        assertTrue(wrong.getCause().getMessage(), wrong.getCause().getMessage().startsWith("Cannot coerce"));
    }

    @Test
    public void helpOptionGivesTheUsageOfEveryOverload() throws Exception {
        String n = System.lineSeparator();
        assertEquals("t:number-add <first> <second>" + n + "    add two numbers" + n
                + "t:number-add <first> <second> <third>" + n + "    add three numbers" + n,
                session.execute("t:number-add --help"));
        assertEquals("t:words-join <between words> <the words...>" + n + "    join words" + n,
                session.execute("t:words-join --help"));
    }

    /** What Gogo's help does: the service's public methods named like the command, and their annotations. */
    @Test
    public void carriesMethodsNamedLikeTheCommandForHelp() throws Exception {
        Function add = DashedFunction.create(numbers, "t", "number-add");
        List<Method> methods = new ArrayList<>();
        for (Method m : add.getClass().getMethods()) {
            if (m.getName().equals("number-add")) {
                methods.add(m);
            }
        }
        methods.sort((a, b) -> a.getParameterCount() - b.getParameterCount());
        assertEquals(2, methods.size());
        assertEquals("add two numbers", methods.get(0).getAnnotation(Descriptor.class).value());
        assertArrayEquals(new Class<?>[] {int.class, long.class, double.class}, methods.get(1).getParameterTypes());
        assertEquals(long.class, methods.get(1).getReturnType());
        assertEquals("third", ((Descriptor) methods.get(1).getParameterAnnotations()[2][0]).value());

        Method join = DashedFunction.create(numbers, "t", "words-join").getClass().getMethod("words-join",
                CommandSession.class, String.class, String[].class);
        assertTrue(join.isVarArgs());
        Parameter option = join.getParameters()[1].getAnnotation(Parameter.class);
        assertArrayEquals(new String[] {"-s", "--separator"}, option.names());
        assertEquals(" ", option.absentValue());
        assertEquals("between words", join.getParameters()[1].getAnnotation(Descriptor.class).value());
        assertEquals("join words", join.getAnnotation(Descriptor.class).value());

        UnsupportedOperationException direct = assertThrows(UnsupportedOperationException.class,
                () -> invoke(methods.get(0), add, 1, 2L));
        assertTrue(direct.getMessage(), direct.getMessage().contains("Function.execute"));
    }

    @Test
    public void refusesNamesWithoutDashOrMethod() {
        assertThrows(IllegalArgumentException.class, () -> DashedFunction.create(numbers, "t", "numberadd"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> DashedFunction.create(numbers, "t", "number-remove"));
        assertTrue(missing.getMessage(), missing.getMessage().contains("numberRemove"));
    }

    private static void invoke(Method m, Object target, Object... args) throws Throwable {
        try {
            m.invoke(target, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
