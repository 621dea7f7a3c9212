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
 * <p>Kryo copies every field of the engine's classes as it is, including the internal tables
 * (and iteration seeds) of the HPPC maps, and re-inserts the entries of {@code java.util}
 * collections in their iteration order; no engine output depends on the order of a
 * {@code java.util} hash map, so a restored state behaves exactly as the one written.
 * Hand-written serializers per class would have to be kept in step with every field added
 * to the engine, and a forgotten one would break exactness silently. What Kryo cannot check,
 * the codec does:
 * <ul>
 * <li>{@link #layout} fingerprints the fields of every non-JDK class in the graph (and the
 * constants of enums, which Kryo writes as ordinals), so state written by a version whose
 * classes differ is refused instead of misread;</li>
 * <li>reading only loads classes of Storyline, HPPC and DataSketches and a fixed list of
 * JDK value and collection classes, checked by name before the class is loaded, so a record
 * planted in the state topic cannot make the detector build other objects. (It is no
 * authentication: only detectors may write that topic.)</li>
 * </ul>
 * Objects that are configuration rather than state are written as a reference to the one the
 * reader supplies ({@link #shared}).
 */
public final class StateCodec {

    /** Packages whose classes the state may hold. */
    private static final List<String> ALLOWED = List.of("io.storyline.",
            "com.carrotsearch.hppc.", "org.apache.datasketches.");
    /** JDK classes the state may hold: values and plain collections, nothing that runs code. */
    private static final Set<String> ALLOWED_JDK = Set.of("java.lang.Object",
            "java.lang.String", "java.lang.Boolean", "java.lang.Byte", "java.lang.Short",
            "java.lang.Character", "java.lang.Integer", "java.lang.Long", "java.lang.Float",
            "java.lang.Double", "java.time.Instant", "java.time.Duration",
            "java.util.ArrayList", "java.util.ArrayDeque", "java.util.HashMap",
            "java.util.HashSet", "java.util.LinkedHashMap", "java.util.LinkedHashSet",
            "java.util.ImmutableCollections$ListN", "java.util.ImmutableCollections$List12",
            "java.util.ImmutableCollections$SetN", "java.util.ImmutableCollections$Set12",
            "java.util.ImmutableCollections$MapN", "java.util.ImmutableCollections$Map1",
            "java.util.Collections$EmptyList", "java.util.Collections$EmptySet",
            "java.util.Collections$EmptyMap");

    /** Whether reading may load the class named {@code name} (arrays: their element type). */
    public static boolean allowed(String name) {
        String element = name;
        while (element.startsWith("[")) {
            element = element.substring(1);
        }
        if (element.length() == 1) {
            return true; // an array of primitives
        }
        if (element.startsWith("L") && element.endsWith(";")) {
            element = element.substring(1, element.length() - 1);
        }
        return ALLOWED_JDK.contains(element)
                || ALLOWED.stream().anyMatch(element::startsWith);
    }

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
            if (name.startsWith("java.")) {
                continue; // the JDK's collections are written by their entries, not fields
            }
            Class<?> type;
            try {
                type = Class.forName(name, false, StateCodec.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                return null;
            }
            if (type.isEnum()) {
                for (Object constant : type.getEnumConstants()) {
                    text.append(" =").append(constant).append('\n'); // written as ordinals
                }
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
        // Strings are values: tracking their identity would only cost memory.
        Kryo kryo = new Kryo(new Resolver(classesSeen), new MapReferenceResolver() {
            @Override
            public boolean useReferences(Class type) {
                return type != String.class && super.useReferences(type);
            }
        });
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

        /** Called with each class name read, before the class is loaded. */
        @Override
        protected Class<?> getTypeByName(String name) {
            if (!allowed(name)) {
                throw new KryoException("the state names class " + name
                        + ", which no detector state holds");
            }
            return super.getTypeByName(name);
        }
    }
}
