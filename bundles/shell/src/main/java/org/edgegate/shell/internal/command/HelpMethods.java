package org.edgegate.shell.internal.command;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;

/**
 * Writes the class file of a {@link DashedFunction} subclass that has, for each overload of the target's
 * method, a public method named like the command ({@code sensor-add}) with the overload's parameter and
 * return types and its Gogo annotations ({@code @Descriptor}, {@code @Parameter}): what Gogo's
 * {@code help} reads. Their bodies only throw, since Gogo runs the function through {@code execute}.
 *
 * <p>Straight-line code only, so a Java 8 class file needs no stack map frames.
 */
final class HelpMethods {
    private static final int JAVA_8 = 52;
    private static final int ACC_PUBLIC = 0x0001;
    private static final int ACC_FINAL = 0x0010;
    private static final int ACC_SUPER = 0x0020;
    private static final int ACC_VARARGS = 0x0080;
    private static final String SUPER = internalName(DashedFunction.class.getName());
    private static final String SUPER_CONSTRUCTOR = MethodType
            .methodType(void.class, Object.class, String.class, String.class).toMethodDescriptorString();
    private static final String UNSUPPORTED = internalName(UnsupportedOperationException.class.getName());
    private static final String GOGO_ANNOTATIONS = Descriptor.class.getPackageName();

    private final Pool pool = new Pool();

    private HelpMethods() {
    }

    static byte[] classFile(String className, String command, List<Method> overloads) {
        return new HelpMethods().write(className, command, overloads);
    }

    private byte[] write(String className, String command, List<Method> overloads) {
        byte[] body = bytes(out -> {
            out.writeShort(ACC_PUBLIC | ACC_FINAL | ACC_SUPER);
            out.writeShort(pool.type(internalName(className)));
            out.writeShort(pool.type(SUPER));
            out.writeShort(0); // interfaces: the superclass's
            out.writeShort(0); // fields
            out.writeShort(1 + overloads.size());
            constructor(out);
            for (Method m : overloads) {
                helpMethod(out, command, m);
            }
            out.writeShort(0); // class attributes
        });
        return bytes(out -> {
            out.writeInt(0xCAFEBABE);
            out.writeShort(0);
            out.writeShort(JAVA_8);
            out.writeShort(pool.count());
            out.write(pool.bytes());
            out.write(body);
        });
    }

    /** {@code public <init>(Object target, String name, String method) { super(target, name, method); }} */
    private void constructor(DataOutputStream out) throws IOException {
        out.writeShort(ACC_PUBLIC);
        out.writeShort(pool.utf8("<init>"));
        out.writeShort(pool.utf8(SUPER_CONSTRUCTOR));
        out.writeShort(1);
        int superConstructor = pool.method(SUPER, "<init>", SUPER_CONSTRUCTOR);
        code(out, 4, 4, code -> {
            code.writeByte(0x2a); // aload_0
            code.writeByte(0x2b); // aload_1
            code.writeByte(0x2c); // aload_2
            code.writeByte(0x2d); // aload_3
            code.writeByte(0xb7); // invokespecial
            code.writeShort(superConstructor);
            code.writeByte(0xb1); // return
        });
    }

    /** {@code public R command(P...) { throw new UnsupportedOperationException(...); }}, annotated. */
    private void helpMethod(DataOutputStream out, String command, Method m) throws IOException {
        out.writeShort(ACC_PUBLIC | (m.isVarArgs() ? ACC_VARARGS : 0));
        out.writeShort(pool.utf8(command));
        out.writeShort(pool.utf8(MethodType.methodType(m.getReturnType(), m.getParameterTypes())
                .toMethodDescriptorString()));
        out.writeShort(3);
        int locals = 1;
        for (Class<?> p : m.getParameterTypes()) {
            locals += p == long.class || p == double.class ? 2 : 1;
        }
        int exception = pool.type(UNSUPPORTED);
        int message = pool.string(command + " is run by Gogo through Function.execute");
        int exceptionConstructor = pool.method(UNSUPPORTED, "<init>", "(Ljava/lang/String;)V");
        code(out, 3, locals, code -> {
            code.writeByte(0xbb); // new
            code.writeShort(exception);
            code.writeByte(0x59); // dup
            code.writeByte(0x13); // ldc_w
            code.writeShort(message);
            code.writeByte(0xb7); // invokespecial
            code.writeShort(exceptionConstructor);
            code.writeByte(0xbf); // athrow
        });
        attribute(out, "RuntimeVisibleAnnotations", a -> annotations(a, m.getAnnotations()));
        attribute(out, "RuntimeVisibleParameterAnnotations", a -> {
            Annotation[][] parameters = m.getParameterAnnotations();
            a.writeByte(parameters.length);
            for (Annotation[] p : parameters) {
                annotations(a, p);
            }
        });
    }

    private void code(DataOutputStream out, int maxStack, int maxLocals, Writer instructions) throws IOException {
        byte[] code = bytes(instructions);
        attribute(out, "Code", c -> {
            c.writeShort(maxStack);
            c.writeShort(maxLocals);
            c.writeInt(code.length);
            c.write(code);
            c.writeShort(0); // exception table
            c.writeShort(0); // attributes
        });
    }

    private void attribute(DataOutputStream out, String name, Writer content) throws IOException {
        byte[] bytes = bytes(content);
        out.writeShort(pool.utf8(name));
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** Gogo's annotations among {@code all}; the others mean nothing to {@code help}. */
    private void annotations(DataOutputStream out, Annotation[] all) throws IOException {
        List<Annotation> gogo = new ArrayList<>();
        for (Annotation a : all) {
            if (a.annotationType().getPackageName().equals(GOGO_ANNOTATIONS)) {
                gogo.add(a);
            }
        }
        out.writeShort(gogo.size());
        for (Annotation a : gogo) {
            Method[] members = a.annotationType().getDeclaredMethods();
            Arrays.sort(members, Comparator.comparing(Method::getName));
            out.writeShort(pool.utf8(a.annotationType().descriptorString()));
            out.writeShort(members.length);
            for (Method member : members) {
                out.writeShort(pool.utf8(member.getName()));
                try {
                    value(out, member.invoke(a));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + a, e);
                }
            }
        }
    }

    /** Gogo's annotations hold strings and string arrays only. */
    private void value(DataOutputStream out, Object value) throws IOException {
        if (value instanceof String s) {
            out.writeByte('s');
            out.writeShort(pool.utf8(s));
        } else if (value instanceof String[] array) {
            out.writeByte('[');
            out.writeShort(array.length);
            for (String s : array) {
                value(out, s);
            }
        } else {
            throw new IllegalArgumentException("cannot copy the annotation value " + value);
        }
    }

    private static String internalName(String className) {
        return className.replace('.', '/');
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] bytes(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not from a byte array
        }
        return bytes.toByteArray();
    }

    /** The constant pool: each entry written once, numbered from 1. */
    private static final class Pool {
        private static final int UTF8 = 1;
        private static final int CLASS = 7;
        private static final int STRING = 8;
        private static final int METHOD_REF = 10;
        private static final int NAME_AND_TYPE = 12;

        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(bytes);
        private final Map<String, Integer> indexes = new HashMap<>();

        int utf8(String text) {
            return entry(UTF8 + ":" + text, o -> {
                o.writeByte(UTF8);
                o.writeUTF(text); // the class file's modified UTF-8, length first
            });
        }

        int type(String internalName) {
            return entry(CLASS, utf8(internalName));
        }

        int string(String text) {
            return entry(STRING, utf8(text));
        }

        int method(String owner, String name, String descriptor) {
            return entry(METHOD_REF, type(owner), entry(NAME_AND_TYPE, utf8(name), utf8(descriptor)));
        }

        private int entry(int tag, int... references) {
            return entry(tag + ":" + Arrays.toString(references), o -> {
                o.writeByte(tag);
                for (int r : references) {
                    o.writeShort(r);
                }
            });
        }

        private int entry(String key, Writer writer) {
            Integer index = indexes.get(key);
            if (index == null) {
                try {
                    writer.write(out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                index = indexes.size() + 1;
                indexes.put(key, index);
            }
            return index;
        }

        int count() {
            return indexes.size() + 1;
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }
}
