module github.com/osisim/osisim

go 1.26
