// Store builds only (`-Ppocket.fcm=true`): wake-ups through Firebase Cloud Messaging beside
// UnifiedPush. The app module of such a build also needs Google's services plugin and the
// publisher's google-services.json. The default build has no Google library at all.
dependencies {
    "implementation"("com.google.firebase:firebase-messaging:24.1.0")
}

configure<com.android.build.gradle.LibraryExtension> {
    sourceSets.getByName("main") {
        java.srcDir("src/fcm/java")
        manifest.srcFile("src/fcm/AndroidManifest.xml")
    }
}
