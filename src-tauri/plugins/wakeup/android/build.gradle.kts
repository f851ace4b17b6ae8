// Pocket's wake-up plugin: UnifiedPush's Android connector (Maven Central), no Google library.
import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
}

android {
    namespace = "app.pocketauth.wakeup"
    compileSdk = 36

    defaultConfig {
        minSdk = 24
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_1_8
        targetCompatibility = JavaVersion.VERSION_1_8
    }
}

kotlin {
    compilerOptions {
        jvmTarget = JvmTarget.JVM_1_8
    }
}

// Store builds add FCM (fcm.gradle.kts); the default build stays free of Google libraries.
if (findProperty("pocket.fcm") == "true") {
    apply(from = "fcm.gradle.kts")
}

dependencies {
    implementation("org.unifiedpush.android:connector:3.0.10")
    implementation("androidx.core:core-ktx:1.9.0")
    implementation(project(":tauri-android"))
}
