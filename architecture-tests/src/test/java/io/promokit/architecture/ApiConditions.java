package io.promokit.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** The custom conditions of the module rules. */
final class ApiConditions {
  private ApiConditions() {}

  /** No dependency on a class of another module's {@code internal} packages. */
  static ArchCondition<JavaClass> notUseAnotherModulesInternals() {
    return new ArchCondition<>("not use another module's internal packages") {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        String own = Modules.of(origin);
        for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
          JavaClass target = dependency.getTargetClass().getBaseComponentType();
          String theirs = Modules.of(target);
          if (Modules.isInternal(target) && !theirs.isEmpty() && !theirs.equals(own)) {
            events.add(SimpleConditionEvent.violated(origin, "module " + own + " uses module " + theirs
                + "'s internal class: " + dependency.getDescription()));
          }
        }
      }
    };
  }

  /**
   * Public and protected signatures (supertypes, fields, parameters, return types, thrown exceptions, type arguments)
   * name only the JDK's types and promokit's public ones (no internal package), plus those {@code allowed} accepts.
   */
  static ArchCondition<JavaClass> exposeOnlyJdkAndPublicPromokitTypes(String allowedDescription,
      Predicate<String> allowed) {
    return new ArchCondition<>("expose only JDK and promokit public types" + allowedDescription) {
      @Override
      public void check(JavaClass owner, ConditionEvents events) {
        List<String> where = new ArrayList<>();
        owner.getRawSuperclass().ifPresent(s -> checkType(owner, "extends", s, where));
        owner.getInterfaces().forEach(i -> checkType(owner, "implements", i, where));
        for (JavaField field : owner.getFields()) {
          if (isApi(field.getModifiers())) {
            checkType(owner, "field " + field.getName(), field.getType(), where);
          }
        }
        for (JavaCodeUnit unit : owner.getCodeUnits()) {
          if (!isApi(unit.getModifiers()) || unit.getModifiers().contains(JavaModifier.SYNTHETIC)
              || unit.getModifiers().contains(JavaModifier.BRIDGE) || unit.getName().equals("<clinit>")) {
            continue;
          }
          String name = unit.getName().equals("<init>") ? "constructor" : unit.getName() + "()";
          checkType(owner, name + " returns", unit.getReturnType(), where);
          unit.getParameterTypes().forEach(p -> checkType(owner, name + " takes", p, where));
          unit.getThrowsClause().getTypes().forEach(t -> checkType(owner, name + " throws", t, where));
        }
        where.forEach(w -> events.add(SimpleConditionEvent.violated(owner, owner.getName() + " " + w)));
      }

      private void checkType(JavaClass owner, String role, JavaType type, List<String> where) {
        Set<JavaClass> involved = type.getAllInvolvedRawTypes();
        for (JavaClass raw : involved) {
          JavaClass base = raw.getBaseComponentType();
          String name = base.getName();
          if (base.isPrimitive() || isJdk(base) || allowed.test(name)) {
            continue;
          }
          if (name.startsWith("io.promokit.") && !Modules.isInternal(base)) {
            continue;
          }
          where.add(role + " " + name);
        }
      }
    };
  }

  /** The class's package has a {@code package-info} annotated {@code @NullMarked}. */
  static ArchCondition<JavaClass> beInANullMarkedPackage() {
    return new ArchCondition<>("be in a @NullMarked package") {
      @Override
      public void check(JavaClass javaClass, ConditionEvents events) {
        boolean marked = javaClass.getPackage().isAnnotatedWith("org.jspecify.annotations.NullMarked");
        if (!marked) {
          events.add(SimpleConditionEvent.violated(javaClass, "package " + javaClass.getPackageName() + " of "
              + javaClass.getName() + " has no package-info.java with @NullMarked"));
        }
      }
    };
  }

  /** A class of the JDK's own modules ({@code java.*}, and {@code javax.net.ssl} and the like, loaded from jrt:). */
  private static boolean isJdk(JavaClass javaClass) {
    return javaClass.getName().startsWith("java.")
        || javaClass.getSource().map(s -> "jrt".equals(s.getUri().getScheme())).orElse(false);
  }

  private static boolean isApi(Set<JavaModifier> modifiers) {
    return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
  }
}
