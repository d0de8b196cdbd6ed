fn main() {
    hookpanel::start();
}
