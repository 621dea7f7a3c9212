package io.storyline.checkpoint;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.MapReferenceResolver;
import io.storyline.text.Language;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Writes an object graph (the detector's whole state: engine, window, statistics, open
 * stories) to bytes and reads it back, field for field, with Kryo.
 *
 * <p>Kryo copies every field as it is, including the internal tables of the hash maps the
 * engine uses, so a restored state behaves exactly as the one written: hand-written
 * serializers per class would have to be kept in step with every field added to the engine,
 * and a forgotten one would break exactness silently. What Kryo cannot check, the codec does:
 * <ul>
 * <li>{@link #layout} fingerprints the fields of every class in the graph, so state written
 * by a version whose classes differ is refused instead of misread;</li>
 * <li>reading only instantiates classes of the packages the state is made of, so a record
 * planted in the state topic cannot make the detector build arbitrary objects.</li>
 * </ul>
 * Objects that are configuration rather than state are written as a reference to the one the
 * reader supplies ({@link #shared}).
 */
public final class StateCodec {

    /** Packages whose classes the state may hold. */
    private static final List<String> ALLOWED = List.of("io.storyline.", "java.util.",
            "java.lang.", "java.time.", "com.carrotsearch.hppc.", "org.apache.datasketches.",
            "org.tartarus.snowball.", "org.apache.lucene.analysis.");

    private final Map<Class<?>, Object> shared;

    /**
     * A codec for which each value of {@code shared} (keyed by its class) is written as a
     * reference and read back as the reader's own instance: the engine configuration, which
     * a fingerprint checks separately.
     */
    public StateCodec(Map<Class<?>, Object> shared) {
        this.shared = Map.copyOf(shared);
    }

    /** What {@link #write(Object)} produced: the bytes and the classes they hold. */
    public record Encoded(byte[] bytes, Set<String> classes) {
    }

    /** The state under {@code root} as bytes, with the names of the classes it holds. */
    public Encoded write(Object root) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        Set<String> classes = write(root, bytes);
        return new Encoded(bytes.toByteArray(), classes);
    }

    /**
     * Writes the state under {@code root} to {@code out} as it goes (a large state is never
     * held twice in memory); returns the names of the classes it holds.
     */
    public Set<String> write(Object root, OutputStream out) {
        Set<String> classes = new TreeSet<>();
        Kryo kryo = kryo(classes);
        try (Output output = new Output(out, 1 << 16)) {
            kryo.writeClassAndObject(output, root);
        }
        return classes;
    }

    /** Reads what {@link #write} wrote; throws {@link IllegalArgumentException} if it cannot. */
    public <T> T read(byte[] bytes, Class<T> type) {
        return read(new java.io.ByteArrayInputStream(bytes), type);
    }

    /** As {@link #read(byte[], Class)}, from a stream. */
    public <T> T read(InputStream bytes, Class<T> type) {
        Kryo kryo = kryo(null);
        try (Input in = new Input(bytes, 1 << 16)) {
            Object root = kryo.readClassAndObject(in);
            if (!type.isInstance(root)) {
                throw new IllegalArgumentException("the state holds a "
                        + (root == null ? "null" : root.getClass().getName()) + ", not a "
                        + type.getName());
            }
            return type.cast(root);
        } catch (KryoException e) {
            throw new IllegalArgumentException("unreadable state: " + e.getMessage(), e);
        }
    }

    /**
     * A fingerprint of the fields (name and type, in declaration order) of each class among
     * {@code classes} that this codebase defines, or null when one of them no longer exists:
     * equal fingerprints mean the state written then reads correctly now.
     */
    public static String layout(Set<String> classes) {
        StringBuilder text = new StringBuilder();
        for (String name : new TreeSet<>(classes)) {
            text.append(name).append('\n');
            if (!name.startsWith("io.storyline.")) {
                continue; // libraries' classes change with their versions, pinned in the pom
            }
            Class<?> type;
            try {
                type = Class.forName(name, false, StateCodec.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                return null;
            }
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                List<Field> fields = new ArrayList<>(Arrays.asList(c.getDeclaredFields()));
                fields.sort(Comparator.comparing(Field::getName));
                for (Field f : fields) {
                    if (!Modifier.isStatic(f.getModifiers())
                            && !Modifier.isTransient(f.getModifiers())) {
                        text.append(' ').append(f.getName()).append(':')
                                .append(f.getGenericType().getTypeName()).append('\n');
                    }
                }
            }
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    private Kryo kryo(Set<String> classesSeen) {
        Kryo kryo = new Kryo(new Resolver(classesSeen), new MapReferenceResolver());
        kryo.setRegistrationRequired(false);
        kryo.setReferences(true); // one object reachable from several places stays one
        // Classes without a no-argument constructor are built without running one: their
        // fields are all set from the state.
        kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(
                new StdInstantiatorStrategy()));
        shared.forEach((type, value) -> kryo.register(type, new SharedSerializer(value)));
        kryo.register(Language.class, new LanguageSerializer());
        return kryo;
    }

    /** Writes nothing; reads the reader's own instance. */
    private static final class SharedSerializer extends Serializer<Object> {
        private final Object value;

        SharedSerializer(Object value) {
            this.value = value;
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, Object object) {
            if (object != value && !object.equals(value)) {
                throw new IllegalStateException("the state holds another "
                        + object.getClass().getName() + " than the codec shares");
            }
        }

        @Override
        public Object read(Kryo kryo, Input input, Class<?> type) {
            return value;
        }
    }

    /** A language is code and word lists: written as its code, read as this JVM's own. */
    private static final class LanguageSerializer extends Serializer<Language> {
        LanguageSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, Language language) {
            output.writeString(language.code());
        }

        @Override
        public Language read(Kryo kryo, Input input, Class<? extends Language> type) {
            return Language.of(input.readString());
        }
    }

    /** Records the classes written; refuses to read classes outside {@link #ALLOWED}. */
    private static final class Resolver extends DefaultClassResolver {
        private final Set<String> seen;

        Resolver(Set<String> seen) {
            this.seen = seen;
        }

        @Override
        public Registration getRegistration(Class type) {
            if (seen != null && type != null) {
                Class<?> c = type;
                while (c.isArray()) {
                    c = c.getComponentType();
                }
                if (!c.isPrimitive()) {
                    seen.add(c.getName());
                }
            }
            return super.getRegistration(type);
        }

        @Override
        protected Registration readName(Input input) {
            Registration r = super.readName(input);
            Class<?> c = r.getType();
            while (c.isArray()) {
                c = c.getComponentType();
            }
            String name = c.getName();
            if (!c.isPrimitive() && ALLOWED.stream().noneMatch(name::startsWith)) {
                throw new KryoException("the state names class " + name
                        + ", which no detector state holds");
            }
            return r;
        }
    }
}
